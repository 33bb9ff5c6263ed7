from django.urls import path

from protection.encryption.api import views

urlpatterns = [
    path("status/", views.StatusView.as_view(), name="encryption-status"),
]
