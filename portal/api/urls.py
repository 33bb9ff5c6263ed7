from django.urls import path
from rest_framework.routers import DefaultRouter

from portal.api import views

router = DefaultRouter(trailing_slash=True)
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("calendar/days", views.CalendarDayViewSet, basename="calendar-day")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api_me"),
    path("inbox/", views.InboxView.as_view(), name="api_inbox"),
    path("calendar/deadline/", views.DeadlineView.as_view(), name="api_deadline"),
    path("evaluation/", views.EvaluationView.as_view(), name="api_evaluation"),
] + router.urls
