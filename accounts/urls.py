"""Pages of account and department management (issue 19 part 6), under /accounts/ (config/urls.py)."""

from django.urls import path

from accounts.views import departments, staff

app_name = "accounts"
urlpatterns = [
    path("users/", staff.user_list, name="user_list"),
    path("users/new/", staff.user_create, name="user_create"),
    path("users/<int:pk>/", staff.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", staff.user_edit, name="user_edit"),
    path("users/<int:pk>/deactivate/", staff.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", staff.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/unlock/", staff.user_unlock, name="user_unlock"),
    path("users/<int:pk>/password-reset/", staff.user_password_reset, name="user_password_reset"),
    path("departments/", departments.department_list, name="department_list"),
    path("departments/new/", departments.department_create, name="department_create"),
    path("departments/<int:pk>/edit/", departments.department_edit, name="department_edit"),
]
