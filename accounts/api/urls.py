from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import staff, views

router = SimpleRouter(trailing_slash=True)
router.register("accounts/users", staff.StaffUserViewSet, basename="staff-user")
router.register("accounts/departments", staff.ManagedDepartmentViewSet, basename="managed-department")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api_token"),
] + router.urls
