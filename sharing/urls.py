from django.urls import path

from sharing import views, views_bureau, views_disputes, views_grants

app_name = "sharing"
urlpatterns = [
    path("", views.home, name="home"),
    path("apply/", views.choose_entry, name="choose_entry"),
    path("apply/<int:entry_pk>/", views.apply, name="apply"),
    path("review/", views.review_queue, name="review"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/approve/", views.application_approve, name="application_approve"),
    path("applications/<int:pk>/refuse/", views.application_refuse, name="application_refuse"),
    path("applications/<int:pk>/cancel/", views.application_cancel, name="application_cancel"),
    path("grants/<int:pk>/", views_grants.grant_detail, name="grant"),
    path("grants/<int:pk>/query/", views_grants.grant_query, name="grant_query"),
    path("grants/<int:pk>/compare/", views_grants.grant_compare, name="grant_compare"),
    path("grants/<int:pk>/statistics/", views_grants.grant_statistics, name="grant_statistics"),
    path("grants/<int:pk>/pull.<str:fmt>", views_grants.grant_pull, name="grant_pull"),
    path("grants/<int:pk>/revoke/", views_grants.grant_revoke, name="grant_revoke"),
    path("grants/<int:pk>/objection/", views_disputes.objection_new, name="objection_new"),
    path("objections/<int:pk>/", views_disputes.objection_detail, name="objection"),
    path("objections/<int:pk>/answer/", views_disputes.objection_answer, name="objection_answer"),
    path("coordination/new/<int:entry_pk>/", views_disputes.coordination_new, name="coordination_new"),
    path("coordination/<int:pk>/", views_disputes.coordination_detail, name="coordination"),
    path("coordination/<int:pk>/answer/", views_disputes.coordination_answer, name="coordination_answer"),
    path("coordination/<int:pk>/escalate/", views_disputes.coordination_escalate, name="coordination_escalate"),
    path("coordination/<int:pk>/conclude/", views_disputes.coordination_conclude, name="coordination_conclude"),
    path("scenarios/", views_bureau.scenario_list, name="scenarios"),
    path("scenarios/new/", views_bureau.scenario_edit, name="scenario_new"),
    path("scenarios/<int:pk>/", views_bureau.scenario_edit, name="scenario_edit"),
    path("settings/", views_bureau.policy_update, name="policy"),
    path("usage/", views_bureau.usage, name="usage"),
    path("evaluation/", views_bureau.evaluation, name="evaluation"),
]
