from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal import workdays
from portal.models import CalendarDay, Department, User


class DepartmentSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "code", "uscc", "level", "level_display", "parent", "is_bureau"]


class MeSerializer(serializers.ModelSerializer):
    department = DepartmentSerializer(read_only=True, allow_null=True)  # a public user has none
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "real_name", "email", "department", "roles"]

    def get_roles(self, user) -> list[dict]:
        return [{"code": r.value, "label": str(r.label)} for r in user.roles]


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]


class CalendarDayWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label=_("类型"), choices=CalendarDay.Kind.choices)
    name = serializers.CharField(label=_("名称"), max_length=50, required=False, allow_blank=True, default="")


class CalendarMomentField(serializers.DateTimeField):
    """A moment the calendar counts from: one that overflows Python's years when converted to the
    portal's time zone (0001-01-01T00:00+08:00) gets the calendar's range message, like any other
    moment outside it (SECURITY.md 22.1)."""

    def fail(self, key, **kwargs):
        if key == "overflow":
            raise serializers.ValidationError(workdays.range_message(), code="date_out_of_range")
        super().fail(key, **kwargs)


class DeadlineQuerySerializer(serializers.Serializer):
    start = CalendarMomentField(
        label=_("收件时间"),
        help_text=_("ISO 8601，如 2026-04-30T10:00:00+08:00 或 2026-04-30"),
        validators=[workdays.validate_calendar_date],
    )
    days = serializers.IntegerField(label=_("工作日数"), min_value=0, max_value=365)

    def to_internal_value(self, data):
        data = data.copy()
        start = data.get("start", "")
        if isinstance(start, str) and len(start) == 10:
            data["start"] = start + "T00:00:00+08:00"
        return super().to_internal_value(data)


class DeadlineSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    days = serializers.IntegerField()
    deadline = serializers.DateTimeField()
    # SECURITY.md 22.5: years counted Monday to Friday because no official calendar was entered for them.
    unofficial_years = serializers.ListField(child=serializers.IntegerField())
    caveat = serializers.CharField(help_text=_("结果跨越尚未录入法定节假日安排的年份时的提示，否则为空。"))


class InboxItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    deadline = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True)
    overdue = serializers.BooleanField()
    detail = serializers.CharField()


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        from portal.models import Notification

        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]
