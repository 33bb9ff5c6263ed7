from django.urls import path

from interop.dcat import seo, views

app_name = "dcat"
urlpatterns = [
    path("open/catalog", views.open_catalog_view, name="open_catalog"),
    path("open/catalog.jsonld", views.open_catalog_view, {"fmt": "jsonld"}, name="open_catalog_jsonld"),
    path("open/catalog.ttl", views.open_catalog_view, {"fmt": "ttl"}, name="open_catalog_ttl"),
    path("open/catalog.rdf", views.open_catalog_view, {"fmt": "rdf"}, name="open_catalog_rdf"),
    # catalog/catalog.jsonld stays catalog:export_dcat (catalog.urls); catalog.exports hands it to views.share_jsonld
    path("catalog/dcat", views.share_catalog_view, name="share_catalog"),
    path("catalog/catalog.ttl", views.share_catalog_view, {"fmt": "ttl"}, name="share_catalog_ttl"),
    path("catalog/catalog.rdf", views.share_catalog_view, {"fmt": "rdf"}, name="share_catalog_rdf"),
    path("catalog/province.jsonld", views.province_export, {"fmt": "jsonld"}, name="province_jsonld"),
    path("catalog/province.ttl", views.province_export, {"fmt": "ttl"}, name="province_ttl"),
    path("themes/", views.theme_scheme, name="themes"),
    path("themes.jsonld", views.theme_scheme, {"fmt": "jsonld"}, name="themes_jsonld"),
    path("themes.ttl", views.theme_scheme, {"fmt": "ttl"}, name="themes_ttl"),
    path("robots.txt", seo.robots, name="robots"),
    path("sitemap.xml", seo.sitemap_index, name="sitemap"),
    path("sitemap-<str:section>.xml", seo.sitemap_section, name="sitemap_section"),
]
