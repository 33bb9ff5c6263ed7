from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import workdays
from portal.api.filters import CalendarDayFilter
from portal.api.permissions import PortalPermission
from portal.api.schema import CALENDAR_DATE, CALENDAR_MOMENT, EMPTY, DynamicParameters
from portal.api.serializers import (
    CalendarDaySerializer,
    CalendarDayWriteSerializer,
    DeadlineQuerySerializer,
    DeadlineSerializer,
    DepartmentSerializer,
    InboxItemSerializer,
    MeSerializer,
    NotificationSerializer,
)
from portal.models import CalendarDay, Department
from portal.services.calendar import calendar_day_remove, calendar_day_set
from portal.visibility import VisibleObjectMixin


class MeView(generics.RetrieveAPIView):
    """The signed-in user with their department and roles."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


class DepartmentViewSet(VisibleObjectMixin, viewsets.ReadOnlyModelViewSet):
    """The department tree (市 → 县/区 → 部门)."""

    serializer_class = DepartmentSerializer
    permission_classes = [IsAuthenticated, PortalPermission]
    required_perms = {"*": "portal.view_department"}
    # The department tree is not secret: whoever may list it may read any department of it (a
    # department-scoped view_department would make the detail 404 for department staff).
    object_scoped = False
    queryset = Department.objects.filter(is_active=True).order_by("id")
    filterset_fields = ["level", "parent", "is_bureau"]


_CALENDAR_DAY = [OpenApiParameter("date", CALENDAR_DATE, OpenApiParameter.PATH)]


@extend_schema_view(
    retrieve=extend_schema(parameters=_CALENDAR_DAY),
    destroy=extend_schema(parameters=_CALENDAR_DAY),
    list=extend_schema(
        parameters=[OpenApiParameter(name, {"anyOf": [CALENDAR_DATE, EMPTY]}) for name in ("date__gte", "date__lte")]
    ),
)
class CalendarDayViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Holidays and make-up working days. The bureau admin sets (PUT) and removes (DELETE) a date."""

    serializer_class = CalendarDaySerializer
    queryset = CalendarDay.objects.all()
    lookup_field = "date"
    lookup_value_regex = r"\d{4}-\d{2}-\d{2}"
    filterset_class = CalendarDayFilter
    permission_classes = [IsAuthenticated, PortalPermission]
    required_perms = {"PUT": "portal.change_calendarday", "DELETE": "portal.delete_calendarday"}

    def _date(self):
        """The date of the URL, within the calendar's years (SECURITY.md 22.2), else 400 with the range."""
        try:
            return serializers.DateField(validators=[workdays.validate_calendar_date]).run_validation(
                self.kwargs["date"]
            )
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"date": exc.detail}) from exc

    def get_object(self):
        self._date()  # 0000-01-01 or 9999-12-31: a 400 naming the range, not a 404
        return super().get_object()

    @extend_schema(request=CalendarDayWriteSerializer, responses={200: CalendarDaySerializer}, parameters=_CALENDAR_DAY)
    def update(self, request, date=None):
        serializer = CalendarDayWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        day = calendar_day_set(actor=request.user, date=self._date(), **serializer.validated_data)
        return Response(CalendarDaySerializer(day).data)

    def destroy(self, request, date=None):
        calendar_day_remove(actor=request.user, date=self._date())
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeadlineView(APIView):
    """The deadline of N working days from a moment, on the official calendar."""

    @extend_schema(
        parameters=[DeadlineQuerySerializer, OpenApiParameter("start", CALENDAR_MOMENT, required=True)],
        responses={200: DeadlineSerializer},
    )
    def get(self, request):
        query = DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, days = query.validated_data["start"], query.validated_data["days"]
        # SECURITY.md 22.2: the calculator records no missing year; SECURITY.md 22.5: it names the years it guessed.
        estimate = workdays.estimate_deadline(start, days)
        return Response(
            DeadlineSerializer(
                {
                    "start": start,
                    "days": days,
                    "deadline": estimate.deadline,
                    "unofficial_years": list(estimate.unofficial_years),
                    "caveat": estimate.caveat,
                }
            ).data
        )


class InboxView(APIView):
    """What waits for the signed-in user, overdue first (same list as the inbox page)."""

    schema = DynamicParameters()

    def schema_parameters(self):
        from portal import inbox

        return [
            OpenApiParameter(
                "kind",
                {"anyOf": [{"type": "string", "enum": sorted(inbox.labels())}, EMPTY]},
                description=_("待办类别（留空表示全部）"),
            )
        ]

    @extend_schema(
        responses={
            200: inline_serializer(
                "Inbox", {"count": serializers.IntegerField(), "results": InboxItemSerializer(many=True)}
            )
        }
    )
    def get(self, request):
        from portal import inbox

        kind = request.query_params.get("kind", "")
        if kind and kind not in inbox.labels():
            raise serializers.ValidationError({"kind": [_("未知的待办类别。")]})
        items = inbox.inbox_for(request.user, kinds=[kind] if kind else None)
        return Response({"count": len(items), "results": InboxItemSerializer(items, many=True).data})


class NotificationViewSet(VisibleObjectMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in user's notifications; POST read/ marks one read, POST read_all/ all."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        from portal.models import Notification

        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Notification.objects.none()
        return Notification.objects.filter(user=self.request.user)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        from portal.services.workplace import notification_mark_read

        notification = self.get_object()
        notification_mark_read(actor=request.user, notification_id=notification.pk)
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: inline_serializer("ReadAll", {"marked": serializers.IntegerField()})})
    @action(detail=False, methods=["post"])
    def read_all(self, request):
        from portal.services.workplace import notification_mark_read

        return Response({"marked": notification_mark_read(actor=request.user)})


class EvaluationView(APIView):
    """The evaluation figures (docs/features.md P3), as on the dashboard: for the bureau every department, its
    score and rank and the whole city; for a department its own figures."""

    schema = DynamicParameters()

    def schema_parameters(self):
        from django.utils import timezone

        last = timezone.localdate().year + 1
        return [
            OpenApiParameter(
                "year",
                {"anyOf": [{"type": "integer", "minimum": 2000, "maximum": last}, EMPTY]},
                description=_("年份（默认今年）"),
            ),
            OpenApiParameter(
                "month",
                {"anyOf": [{"type": "integer", "minimum": 0, "maximum": 12}, EMPTY]},
                description=_("月份 1-12（默认全年）"),
            ),
        ]

    @extend_schema(
        responses=inline_serializer(
            "Evaluation",
            {
                "year": serializers.IntegerField(),
                "month": serializers.IntegerField(allow_null=True),
                "metrics": serializers.ListField(child=serializers.DictField()),
                "departments": serializers.ListField(child=serializers.DictField()),
                "city": serializers.DictField(allow_null=True),
            },
        )
    )
    def get(self, request):
        from django.utils import timezone

        from portal.dashboard import figures

        scope = figures.scope_of(request.user)  # PermissionDenied (403) for an account without a department
        today = timezone.localdate()
        try:
            year = int(request.query_params.get("year") or today.year)
            month = int(request.query_params.get("month") or 0) or None
        except ValueError:
            raise serializers.ValidationError({"year": [_("年份和月份必须是整数。")]}) from None
        if not 2000 <= year <= today.year + 1:
            raise serializers.ValidationError({"year": [_("年份超出范围。")]})
        if month is not None and not 1 <= month <= 12:
            raise serializers.ValidationError({"month": [_("月份必须在 1 到 12 之间。")]})
        data = figures.table(year, month, department_ids=scope)
        return Response(
            {
                "year": year,
                "month": month,
                "metrics": [
                    {
                        "key": m.key,
                        "label": str(m.label),
                        "group": str(m.group),
                        "rate": m.is_rate,
                        "higher_is_better": m.higher_is_better,
                    }
                    for m in data["metrics"]
                ],
                "departments": [
                    {
                        "id": r["department"].pk,
                        "name": r["department"].name,
                        "values": r["values"],
                        "score": r["score"],
                        "rank": r.get("rank"),
                    }
                    for r in data["rows"]
                ],
                "city": data["city"] if scope is None else None,
            }
        )
