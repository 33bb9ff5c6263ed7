from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),  # also served as the un-namespaced "audit_log" (config/urls.py)
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("export/", views.export, name="export"),
    path("integrity/", views.integrity, name="integrity"),
    path("integrity/heads.txt", views.head_file_download, name="heads"),
    path("usage/", views.usage, name="usage"),
]
