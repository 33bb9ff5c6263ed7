from django.urls import path

from secops.detection import views

app_name = "detection"
urlpatterns = [
    path("", views.alert_list, name="alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("alerts/<int:pk>/close/", views.alert_close, name="alert_close"),
    path("alerts/<int:pk>/escalate/", views.alert_escalate, name="alert_escalate"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
]
