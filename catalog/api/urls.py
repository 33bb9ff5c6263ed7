from django.urls import path
from rest_framework.routers import DefaultRouter

from catalog.api import imports, synonyms, views

router = DefaultRouter()
# No ".json"-style twins: the API renders JSON only, and a suffix such as "1.5" reached the views as
# format="5" and answered 500 (the class of SECURITY.md 14.10: ids parsed from the path).
router.include_format_suffixes = False
router.register("entries", views.EntryViewSet, basename="catalog-entry")
router.register("loads", views.DataLoadViewSet, basename="catalog-load")
router.register("duty-changes", views.DutyChangeViewSet, basename="catalog-duty-change")
router.register("duties", views.UpdateDutyViewSet, basename="catalog-duty")
router.register("imports", imports.ImportViewSet, basename="catalog-import")
router.register("synonyms", synonyms.SynonymViewSet, basename="catalog-synonym")

urlpatterns = [path("export/", views.ExportView.as_view(), name="catalog-export")] + router.urls
