from django.urls import path

from openness.api import views

urlpatterns = [
    path("datasets/", views.DatasetListView.as_view(), name="open-api-datasets"),
    path("datasets/<int:pk>/", views.DatasetDetailView.as_view(), name="open-api-dataset-detail"),
    path("datasets/<int:pk>/rows/", views.DatasetRowsView.as_view(), name="open-api-dataset-rows"),
    path("datasets/<int:pk>/withdraw/", views.DatasetWithdrawView.as_view(), name="open-api-dataset-withdraw"),
    path("negative-list/", views.NegativeListView.as_view(), name="open-api-negative-list"),
    path("keys/", views.ApiKeyListView.as_view(), name="open-api-keys"),
    path("keys/<int:pk>/revoke/", views.ApiKeyRevokeView.as_view(), name="open-api-key-revoke"),
    path("keys/<int:pk>/renew/", views.ApiKeyRenewView.as_view(), name="open-api-key-renew"),
    path("applications/", views.ApplicationListView.as_view(), name="open-api-applications"),
    path("applications/<int:pk>/answer/", views.ApplicationAnswerView.as_view(), name="open-api-application-answer"),
    path(
        "applications/<int:pk>/rereview/", views.ApplicationRereviewView.as_view(), name="open-api-application-rereview"
    ),
    path(
        "applications/<int:pk>/rereview/decide/",
        views.ApplicationRereviewDecideView.as_view(),
        name="open-api-application-rereview-decide",
    ),
    path("uploads/", views.UploadView.as_view(), name="open-api-uploads"),
    path("versions/", views.VersionListView.as_view(), name="open-api-versions"),
    path("versions/<int:pk>/approve/", views.VersionApproveView.as_view(), name="open-api-version-approve"),
    path("versions/<int:pk>/return/", views.VersionReturnView.as_view(), name="open-api-version-return"),
]
