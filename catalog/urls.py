from django.urls import path

from catalog import views, views_exchange

app_name = "catalog"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.entry_create, name="create"),
    path("review/", views.review_queue, name="review_queue"),
    path("duties/", views.duty_list, name="duties"),
    path("duties/<int:pk>/confirm/", views.duty_confirm, name="duty_confirm"),
    path("withdrawn/", views.withdrawn_list, name="withdrawn"),
    path("export.csv", views_exchange.export_csv, name="export_csv"),
    path("export.xlsx", views_exchange.export_xlsx, name="export_xlsx"),
    path("catalog.jsonld", views_exchange.export_dcat, name="export_dcat"),
    path("import/", views_exchange.import_entries, name="import"),
    path("import/<int:pk>/", views_exchange.import_job, name="import_job"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("<int:pk>/edit/", views.entry_edit, name="edit"),
    path("<int:pk>/submit/", views.entry_submit, name="submit"),
    path("<int:pk>/approve/", views.entry_approve, name="approve"),
    path("<int:pk>/return/", views.entry_return, name="return"),
    path("<int:pk>/revise/", views.entry_revise, name="revise"),
    path("<int:pk>/withdraw/", views.entry_withdraw, name="withdraw"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/compare/", views.version_compare, name="compare"),
    path("<int:pk>/loads/", views.load_upload, name="upload"),
    path("loads/<int:pk>/", views.load_detail, name="load"),
    path("loads/<int:pk>/remove/", views.load_remove, name="load_remove"),
]
