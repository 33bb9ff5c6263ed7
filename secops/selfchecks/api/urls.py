from rest_framework.routers import SimpleRouter

from secops.selfchecks.api import views

router = SimpleRouter()
router.register("runs", views.RunViewSet, basename="selfchecks-run")
router.register("findings", views.FindingViewSet, basename="selfchecks-finding")
router.register("assessments", views.AssessmentViewSet, basename="selfchecks-assessment")

urlpatterns = router.urls
