from django.urls import path

from . import views

app_name = "encryption"
urlpatterns = [
    path("", views.status_page, name="status"),
]
