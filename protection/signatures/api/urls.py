from django.urls import path
from rest_framework.routers import DefaultRouter

from protection.signatures.api import views

router = DefaultRouter()
router.register("receipts", views.ReceiptViewSet, basename="signatures-receipt")
router.register("decisions", views.DecisionViewSet, basename="signatures-decision")
router.register("certificates", views.CertificateViewSet, basename="signatures-certificate")

urlpatterns = [
    path("root/", views.RootCertificateView.as_view(), name="signatures-root"),
    path("verify/", views.VerifyView.as_view(), name="signatures-verify"),
] + router.urls
