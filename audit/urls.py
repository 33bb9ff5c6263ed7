from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),  # also served as the un-namespaced "audit_log" (config/urls.py)
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("export/", views.export, name="export"),
    path("integrity/", views.integrity, name="integrity"),
    path("integrity/heads.txt", views.head_file_download, name="heads"),
    path("integrity/verify/", views.verify_start, name="verify_start"),
    path("integrity/jobs/<int:pk>/", views.verify_job, name="verify_job"),
    path("integrity/verifications/<int:pk>/", views.verification_detail, name="verification"),
    path("usage/", views.usage, name="usage"),
]
