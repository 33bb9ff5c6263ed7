from django.urls import path
from rest_framework.routers import DefaultRouter

from catalog.api import views

router = DefaultRouter()
router.register("entries", views.EntryViewSet, basename="catalog-entry")
router.register("loads", views.DataLoadViewSet, basename="catalog-load")
router.register("duty-changes", views.DutyChangeViewSet, basename="catalog-duty-change")
router.register("duties", views.UpdateDutyViewSet, basename="catalog-duty")

urlpatterns = [path("export/", views.ExportView.as_view(), name="catalog-export")] + router.urls
