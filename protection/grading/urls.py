from django.urls import path

from . import views

app_name = "grading"
urlpatterns = [
    path("levels/", views.level_list, name="levels"),
]
