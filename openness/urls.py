from django.urls import path

from openness.views import account, applications, public, publish

app_name = "openness"
urlpatterns = [
    path("", public.dataset_list, name="datasets"),
    path("datasets/<int:pk>/", public.dataset_detail, name="dataset"),
    path("datasets/<int:pk>/download/<str:fmt>/", public.download, name="download"),
    path("datasets/<int:pk>/v<int:number>/download/<str:fmt>/", public.download, name="version_download"),
    path("datasets/<int:pk>/apply/", applications.apply, name="apply"),
    path("datasets/<int:pk>/withdraw/", publish.dataset_withdraw, name="withdraw"),
    path("datasets/<int:pk>/confirm-current/", publish.dataset_confirm_current, name="confirm_current"),
    path("negative-list/", public.negative_list, name="negative_list"),
    path("withdrawn/", public.withdrawn_list, name="withdrawn"),
    path("guide/", public.guide, name="guide"),
    path("register/", account.register, name="register"),
    path("register/confirm/<str:uidb64>/<str:token>/", account.register_confirm, name="register_confirm"),
    path("keys/", account.keys, name="keys"),
    path("keys/<int:pk>/revoke/", account.key_revoke, name="key_revoke"),
    path("keys/<int:pk>/renew/", account.key_renew, name="key_renew"),
    path("applications/", applications.application_list, name="applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/answer/", applications.application_answer, name="application_answer"),
    path("applications/<int:pk>/rereview/", applications.application_rereview_request, name="application_rereview"),
    path(
        "applications/<int:pk>/rereview/decide/",
        applications.application_rereview_decide,
        name="application_rereview_decide",
    ),
    path("manage/", publish.manage, name="manage"),
    path("manage/datasets/<int:pk>/", publish.dataset_manage, name="dataset_manage"),
    path("manage/upload/", publish.upload, name="upload"),
    path("manage/propose/entry/<int:entry_pk>/", publish.propose_entry, name="propose_entry"),
    path("manage/propose/upload/<int:upload_pk>/", publish.propose_upload, name="propose_upload"),
    path("versions/<int:pk>/", publish.version_detail, name="version"),
    path("versions/<int:pk>/approve/", publish.version_approve, name="version_approve"),
    path("versions/<int:pk>/return/", publish.version_return, name="version_return"),
    path("review/", publish.review_queue, name="review_queue"),
]
