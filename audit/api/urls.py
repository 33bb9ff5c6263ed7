from django.urls import path
from rest_framework.routers import SimpleRouter

from audit.api import views

router = SimpleRouter(trailing_slash=True)
router.register("entries", views.AuditEntryViewSet, basename="audit-entry")

urlpatterns = [
    path("integrity/", views.IntegrityView.as_view(), name="audit-integrity"),
    path("usage/", views.UsageView.as_view(), name="audit-usage"),
] + router.urls
