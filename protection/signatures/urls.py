from django.urls import path

from protection.signatures import views

app_name = "signatures"

urlpatterns = [
    path("receipts/<uuid:uid>/evidence.zip", views.receipt_evidence, name="receipt_evidence"),
    path("decisions/<uuid:uid>/evidence.zip", views.decision_evidence, name="decision_evidence"),
    path("verify/", views.verify, name="verify"),
    path("root.json", views.root_certificate, name="root_certificate"),
    path("certificates/", views.certificates, name="certificates"),
    path("certificates/issue/", views.certificate_issue, name="certificate_issue"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
]
