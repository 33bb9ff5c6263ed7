from django.urls import path

from sharing.views import applications, bureau, disputes, grants

app_name = "sharing"
urlpatterns = [
    path("", applications.home, name="home"),
    path("apply/", applications.choose_entry, name="choose_entry"),
    path("apply/<int:entry_pk>/", applications.apply, name="apply"),
    path("review/", applications.review_queue, name="review"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/approve/", applications.application_approve, name="application_approve"),
    path("applications/<int:pk>/co-approve/", applications.application_co_approve, name="application_co_approve"),
    path("applications/<int:pk>/refuse/", applications.application_refuse, name="application_refuse"),
    path("applications/<int:pk>/cancel/", applications.application_cancel, name="application_cancel"),
    path("grants/<int:pk>/", grants.grant_detail, name="grant"),
    path("grants/<int:pk>/query/", grants.grant_query, name="grant_query"),
    path("grants/<int:pk>/compare/", grants.grant_compare, name="grant_compare"),
    path("grants/<int:pk>/statistics/", grants.grant_statistics, name="grant_statistics"),
    path("grants/<int:pk>/pull.<str:fmt>", grants.grant_pull, name="grant_pull"),
    path("grants/<int:pk>/revoke/", grants.grant_revoke, name="grant_revoke"),
    path("grants/<int:pk>/objection/", disputes.objection_new, name="objection_new"),
    path("objections/<int:pk>/", disputes.objection_detail, name="objection"),
    path("objections/<int:pk>/answer/", disputes.objection_answer, name="objection_answer"),
    path("coordination/new/<int:entry_pk>/", disputes.coordination_new, name="coordination_new"),
    path("coordination/<int:pk>/", disputes.coordination_detail, name="coordination"),
    path("coordination/<int:pk>/answer/", disputes.coordination_answer, name="coordination_answer"),
    path("coordination/<int:pk>/escalate/", disputes.coordination_escalate, name="coordination_escalate"),
    path("coordination/<int:pk>/conclude/", disputes.coordination_conclude, name="coordination_conclude"),
    path("scenarios/", bureau.scenario_list, name="scenarios"),
    path("scenarios/new/", bureau.scenario_edit, name="scenario_new"),
    path("scenarios/<int:pk>/", bureau.scenario_edit, name="scenario_edit"),
    path("settings/", bureau.policy_update, name="policy"),
    path("usage/", bureau.usage, name="usage"),
    path("evaluation/", bureau.evaluation, name="evaluation"),
]
