from django.urls import path

from catalog.views import entries, exchange, grades, synonyms

app_name = "catalog"
urlpatterns = [
    path("", entries.entry_list, name="list"),
    path("new/", entries.entry_create, name="create"),
    path("review/", entries.review_queue, name="review_queue"),
    path("duties/", entries.duty_list, name="duties"),
    path("duties/<int:pk>/confirm/", entries.duty_confirm, name="duty_confirm"),
    path("withdrawn/", entries.withdrawn_list, name="withdrawn"),
    path("export.csv", exchange.export_csv, name="export_csv"),
    path("export.xlsx", exchange.export_xlsx, name="export_xlsx"),
    path("catalog.jsonld", exchange.export_dcat, name="export_dcat"),
    path("import/", exchange.import_entries, name="import"),
    path("import/<int:pk>/", exchange.import_job, name="import_job"),
    path("synonyms/", synonyms.synonym_list, name="synonyms"),
    path("synonyms/<int:pk>/edit/", synonyms.synonym_edit, name="synonym_edit"),
    path("synonyms/<int:pk>/delete/", synonyms.synonym_delete, name="synonym_delete"),
    path("<int:pk>/", entries.entry_detail, name="detail"),
    path("<int:pk>/edit/", entries.entry_edit, name="edit"),
    path("<int:pk>/submit/", entries.entry_submit, name="submit"),
    path("<int:pk>/approve/", entries.entry_approve, name="approve"),
    path("<int:pk>/return/", entries.entry_return, name="return"),
    path("<int:pk>/grades/", grades.entry_confirm_grades, name="confirm_grades"),
    path("<int:pk>/revise/", entries.entry_revise, name="revise"),
    path("<int:pk>/withdraw/", entries.entry_withdraw, name="withdraw"),
    path("<int:pk>/versions/<int:number>/", entries.version_detail, name="version"),
    path("<int:pk>/compare/", entries.version_compare, name="compare"),
    path("<int:pk>/loads/", entries.load_upload, name="upload"),
    path("loads/<int:pk>/", entries.load_detail, name="load"),
    path("loads/<int:pk>/remove/", entries.load_remove, name="load_remove"),
]
