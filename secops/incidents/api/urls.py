from rest_framework.routers import DefaultRouter

from secops.incidents.api import views

router = DefaultRouter()
router.register("incidents", views.IncidentViewSet, basename="incidents-incident")
router.register("holds", views.ContainmentViewSet, basename="incidents-hold")
router.register("reports", views.UpwardReportViewSet, basename="incidents-report")

urlpatterns = router.urls
