from rest_framework.routers import SimpleRouter

from secops.detection.api import views

router = SimpleRouter()
router.register("rules", views.RuleViewSet, basename="detection-rule")
router.register("alerts", views.AlertViewSet, basename="detection-alert")

urlpatterns = router.urls
