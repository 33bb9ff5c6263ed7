from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import SignInForm
from accounts.views import password as views_password
from accounts.views import signin as views_signin
from audit import views as audit_views
from backoffice import views as views_dashboard
from config import admin_beat  # noqa: F401  (the audit's own periodic tasks are read-only in the admin site)
from interop.ckan import apidocs
from portal.views import pages, workplace
from portal.views import policy as views_policy

urlpatterns = [
    path("", pages.home, name="home"),
    path("open-data/", pages.open_data_home, name="open_data_home"),
    path("departments/", pages.department_list, name="department_list"),
    path("inbox/", workplace.inbox_page, name="inbox"),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("dashboard/report.xlsx", views_dashboard.dashboard_report, name="dashboard_report"),
    path("notifications/", workplace.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", workplace.notification_read, name="notification_read"),
    path("notifications/read-all/", workplace.notification_read_all, name="notification_read_all"),
    path("notifications/settings/", workplace.notification_settings, name="notification_settings"),
    path("calendar/", pages.calendar, name="calendar"),
    path("calendar/deadline/", pages.calendar_deadline, name="calendar_deadline"),
    path("calendar/missing/<int:year>/dismiss/", pages.calendar_missing_dismiss, name="calendar_missing_dismiss"),
    path("policy/", views_policy.policy_list, name="policy_list"),
    path("policy/<slug:key>/", views_policy.policy_detail, name="policy_detail"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/", include("audit.urls")),
    path("catalog/", include("catalog.urls")),
    path("sharing/", include("sharing.urls")),
    path("open/", include("openness.urls")),
    path("open/", include("interop.ckan.public_urls")),
    path("signatures/", include("protection.signatures.urls")),
    path("secops/incidents/", include("secops.incidents.urls")),
    path("secops/detection/", include("secops.detection.urls")),
    path("secops/selfchecks/", include("secops.selfchecks.urls")),
    path("", include("interop.dcat.urls")),
    path("encryption/", include("protection.encryption.urls")),
    path("grading/", include("protection.grading.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),  # users and departments (issue 19 part 6)
    path("accounts/otp/verify/", views_signin.otp_verify, name="otp_verify"),
    path("accounts/otp/setup/", views_signin.otp_setup, name="otp_setup"),
    path("accounts/security/", views_signin.signin_security, name="signin_security"),
    path("accounts/security/unlock/", views_signin.signin_unlock, name="signin_unlock"),
    path("accounts/security/otp-reset/", views_signin.otp_reset, name="otp_reset"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", views_password.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", views_password.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views_password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        views_password.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # issue 17 part 8: the internal API's docs for signed-in staff; the public is sent to /open/api-docs/
    path("api/schema/", apidocs.StaffSchemaView.as_view(), name="api_schema"),
    path("api/docs/", apidocs.StaffSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("api/", include("accounts.api.urls")),
    path("api/", include("portal.api.urls")),
    path("api/audit/", include("audit.api.urls")),
    path("api/catalog/", include("catalog.api.urls")),
    path("api/sharing/", include("sharing.api.urls")),
    path("api/open/", include("openness.api.urls")),
    path("api/signatures/", include("protection.signatures.api.urls")),
    path("api/", include("interop.ckan.urls")),  # CKAN: /api/3/action/<name> and /api/action/<name>
    path("api/secops/selfchecks/", include("secops.selfchecks.api.urls")),
    path("api/secops/detection/", include("secops.detection.api.urls")),
    path("api/secops/", include("secops.incidents.api.urls")),
    path("api/encryption/", include("protection.encryption.api.urls")),
]

handler400 = "config.errors_views.bad_request"
handler403 = "config.errors_views.permission_denied"
handler404 = "config.errors_views.page_not_found"
handler500 = "config.errors_views.server_error"
