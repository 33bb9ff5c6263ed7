from django.urls import path

from secops.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("report/", views.report, name="report"),
    path("template/", views.template, name="template"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:action>/move/", views.move, name="move"),
    path("<int:pk>/contain/", views.contain, name="contain"),
    path("<int:pk>/scope/", views.scope, name="scope"),
    path("<int:pk>/notify/", views.notify, name="notify"),
    path("<int:pk>/report-upward/", views.report_upward, name="report_upward"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("holds/<int:pk>/lift/", views.lift, name="lift"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
]
