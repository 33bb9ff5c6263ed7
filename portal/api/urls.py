from django.urls import path
from rest_framework.routers import DefaultRouter

from portal.api import policy, views

router = DefaultRouter(trailing_slash=True)
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("calendar/days", views.CalendarDayViewSet, basename="calendar-day")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api_me"),
    path("inbox/", views.InboxView.as_view(), name="api_inbox"),
    path("calendar/deadline/", views.DeadlineView.as_view(), name="api_deadline"),
    path("evaluation/", views.EvaluationView.as_view(), name="api_evaluation"),
    path("policy/", policy.PolicyListView.as_view(), name="api_policy_list"),
    path("policy/<slug:key>/", policy.PolicyDetailView.as_view(), name="api_policy_detail"),
] + router.urls
