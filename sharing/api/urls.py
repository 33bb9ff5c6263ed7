from django.urls import path
from rest_framework.routers import DefaultRouter

from sharing.api import views

router = DefaultRouter()
router.register("applications", views.ApplicationViewSet, basename="sharing-application")
router.register("grants", views.GrantViewSet, basename="sharing-grant")
router.register("objections", views.ObjectionViewSet, basename="sharing-objection")
router.register("coordinations", views.CoordinationViewSet, basename="sharing-coordination")
router.register("scenarios", views.ScenarioViewSet, basename="sharing-scenario")
router.register("usage", views.UsageViewSet, basename="sharing-usage")

urlpatterns = [
    path("policy/", views.PolicyView.as_view(), name="sharing-policy"),
    path("evaluation/overdue/", views.OverdueView.as_view(), name="sharing-overdue"),
] + router.urls
