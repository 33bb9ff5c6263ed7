"""The public pages of interop.ckan under the open-data site (/open/), beside openness.urls' routes."""

from django.urls import path

from interop.ckan import views

app_name = "ckan_public"
urlpatterns = [
    path("datasets/<int:pk>/datapackage.json", views.datapackage_json, name="datapackage"),
    path("api-docs/", views.api_docs, name="api_docs"),
]
