"""Serializers of the sharing API: output shapes, and input parsing (the services decide)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from catalog import selectors as catalog_selectors
from portal.models import Department
from sharing.models import Application, Coordination, Deadline, Grant, GrantUse, Mode, Objection, Scenario


def keys(**kwargs):
    return serializers.ListField(child=serializers.CharField(max_length=63), max_length=500, **kwargs)


class ShareDeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deadline
        fields = [
            "kind",
            "department",
            "by_bureau",
            "received_at",
            "remind_at",
            "due_at",
            "reminded_at",
            "warned_at",
            "escalated_at",
            "closed_at",
            "overdue",
        ]


class ApplicationSerializer(serializers.ModelSerializer):
    entry_code = serializers.CharField(source="entry.code", read_only=True)
    entry_name = serializers.CharField(source="entry_version.name", read_only=True)
    applicant_department_name = serializers.CharField(source="applicant_department.name", read_only=True)
    provider_department_name = serializers.CharField(source="provider_department.name", read_only=True)
    deadline = serializers.SerializerMethodField()
    grant = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "entry",
            "entry_code",
            "entry_name",
            "share_type",
            "provider_department",
            "provider_department_name",
            "applicant",
            "applicant_department",
            "applicant_department_name",
            "purpose",
            "scenario_text",
            "items",
            "mode",
            "end_date",
            "unmask_requested",
            "renews",
            "review_by",
            "status",
            "submitted_at",
            "escalated_at",
            "decided_at",
            "decided_by",
            "decision_note",
            "scenario",
            "auto_granted",
            "co_approved_by",
            "co_approved_at",
            "co_approval_note",
            "deadline",
            "grant",
        ]

    def get_deadline(self, obj) -> ShareDeadlineSerializer(allow_null=True):  # type: ignore[valid-type]
        deadline = getattr(obj, "deadline", None)  # reverse one-to-one, selected with the list
        return ShareDeadlineSerializer(deadline).data if deadline else None

    def get_grant(self, obj) -> int | None:
        grant = getattr(obj, "grant", None)
        return grant.pk if grant else None


class ApplicationCreateSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    purpose = serializers.CharField(max_length=2000)
    scenario_text = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    items = keys(required=False)
    mode = serializers.ChoiceField(choices=Mode.choices, required=False)
    end_date = serializers.DateField(required=False)
    unmask_requested = keys(required=False, default=list)
    renews = serializers.IntegerField(required=False, allow_null=True)


@extend_schema_serializer(component_name="ShareApprove")  # catalog's review has an ApproveSerializer too
class ApproveSerializer(serializers.Serializer):
    items = keys(required=False, help_text=_("批准的信息项（默认为申请的全部）"))
    mode = serializers.ChoiceField(choices=Mode.choices, required=False)
    end_date = serializers.DateField(required=False)
    unmasked_items = keys(required=False, default=list, help_text=_("同意不脱敏的敏感信息项（须为申请不脱敏的项）"))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    daily_call_quota = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=2_000_000_000,
        help_text=_("每日调用次数上限（不填则使用平台默认值）"),
    )
    daily_row_quota = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=2_000_000_000,
        help_text=_("每日获取行数上限，查阅和获取返回的行数（不填则使用平台默认值）"),
    )


class ShareReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class CoApprovalSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class GrantSerializer(serializers.ModelSerializer):
    entry_code = serializers.CharField(source="entry.code", read_only=True)
    entry_name = serializers.CharField(source="application.entry_version.name", read_only=True)
    holder_department_name = serializers.CharField(source="holder_department.name", read_only=True)
    provider_department_name = serializers.CharField(source="provider_department.name", read_only=True)
    live = serializers.BooleanField(read_only=True)
    calls_per_day = serializers.IntegerField(read_only=True, help_text=_("每日调用次数上限（含平台默认值）"))
    rows_per_day = serializers.IntegerField(read_only=True, help_text=_("每日获取行数上限（含平台默认值）"))

    class Meta:
        model = Grant
        fields = [
            "id",
            "application",
            "entry",
            "entry_code",
            "entry_name",
            "provider_department",
            "provider_department_name",
            "holder_department",
            "holder_department_name",
            "items",
            "masked_items",
            "unmasked_items",
            "mode",
            "granted_at",
            "end_date",
            "expires_at",
            "status",
            "live",
            "ended_at",
            "revoke_reason",
            "daily_call_quota",
            "daily_row_quota",
            "calls_per_day",
            "rows_per_day",
        ]


class GrantColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    masked = serializers.BooleanField()


class GrantQueryResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    data_version = serializers.IntegerField()
    columns = GrantColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField())


class GrantUseRequestSerializer(serializers.Serializer):
    """The body of a POST to query, statistics or pull (SECURITY.md 14.14: filter values on masked items
    travel here, never in the URL). Each mode reads the fields it knows."""

    filters = serializers.DictField(
        child=serializers.CharField(max_length=500, allow_blank=True),
        required=False,
        default=dict,
        help_text=_("按授权的信息项筛选（等值）：{信息项: 值}"),
    )
    items = keys(required=False, help_text=_("查阅、获取：信息项（默认全部授权项）"))
    order_by = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text=_("查阅：排序信息项，前加 - 为降序")
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=10_000_000)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100_000)
    group_by = keys(required=False, help_text=_("统计：分组信息项"))
    measures = serializers.ListField(
        child=serializers.CharField(max_length=80),
        max_length=50,
        required=False,
        help_text=_('统计：如 ["sum:amount", "avg:amount"]'),
    )
    output = serializers.ChoiceField(choices=["csv", "json"], required=False, help_text=_("获取：下载格式"))


class GrantCompareRequestSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=63, help_text=_("用于定位记录的信息项，如 id_number"))
    key_value = serializers.CharField(max_length=500)
    values = serializers.DictField(
        child=serializers.CharField(max_length=500, allow_blank=True), help_text=_("需要比对的信息项及其值")
    )


class GrantCompareResultSerializer(serializers.Serializer):
    key = serializers.CharField()
    data_version = serializers.IntegerField()
    results = serializers.DictField(child=serializers.ChoiceField(choices=["match", "no_match"]))


class GrantStatisticsResultSerializer(serializers.Serializer):
    data_version = serializers.IntegerField()
    groups = serializers.ListField(child=serializers.DictField())
    min_group_size = serializers.IntegerField(help_text=_("记录数少于此数的分组不显示（也不报告有几个）"))
    truncated = serializers.BooleanField()


class GrantUseSerializer(serializers.ModelSerializer):
    entry_code = serializers.CharField(source="grant.entry.code", read_only=True)
    user_name = serializers.CharField(source="user.real_name", read_only=True)
    user_department_name = serializers.CharField(source="user_department.name", read_only=True, default="")
    provider_department_name = serializers.CharField(source="provider_department.name", read_only=True)

    class Meta:
        model = GrantUse
        fields = [
            "id",
            "grant",
            "entry_code",
            "user",
            "user_name",
            "user_department",
            "user_department_name",
            "provider_department",
            "provider_department_name",
            "mode",
            "channel",
            "outcome",
            "amount",
            "used_at",
        ]


class ObjectionSerializer(serializers.ModelSerializer):
    deadline = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = [
            "id",
            "grant",
            "entry",
            "provider_department",
            "user_department",
            "raised_by",
            "rows",
            "items",
            "reason",
            "status",
            "raised_at",
            "answered_at",
            "answered_by",
            "answer",
            "deadline",
        ]

    def get_deadline(self, obj) -> ShareDeadlineSerializer(allow_null=True):  # type: ignore[valid-type]
        deadline = getattr(obj, "deadline", None)
        return ShareDeadlineSerializer(deadline).data if deadline else None


class ObjectionCreateSerializer(serializers.Serializer):
    grant = serializers.IntegerField()
    rows = serializers.CharField(max_length=5000)
    items = keys()
    reason = serializers.CharField(max_length=5000)


class ShareAnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[])
    answer = serializers.CharField(max_length=5000)


class ObjectionAnswerSerializer(ShareAnswerSerializer):
    outcome = serializers.ChoiceField(choices=[("confirm", _("确认无误")), ("correct", _("已更正"))])


class CoordinationAnswerSerializer(ShareAnswerSerializer):
    outcome = serializers.ChoiceField(choices=[("agree", _("协商一致")), ("decline", _("协商未果"))])


class CoordinationSerializer(serializers.ModelSerializer):
    deadline = serializers.SerializerMethodField()

    class Meta:
        model = Coordination
        fields = [
            "id",
            "entry",
            "provider_department",
            "applicant",
            "applicant_department",
            "need",
            "status",
            "opened_at",
            "answered_at",
            "answered_by",
            "answer",
            "escalated_at",
            "concluded_at",
            "concluded_by",
            "conclusion",
            "deadline",
        ]

    def get_deadline(self, obj) -> ShareDeadlineSerializer(allow_null=True):  # type: ignore[valid-type]
        deadline = getattr(obj, "deadline", None)
        return ShareDeadlineSerializer(deadline).data if deadline else None


class CoordinationCreateSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    need = serializers.CharField(max_length=5000)


class CoordinationConclusionSerializer(serializers.Serializer):
    conclusion = serializers.CharField(max_length=5000)


class ScenarioSerializer(serializers.ModelSerializer):
    entry = serializers.PrimaryKeyRelatedField(queryset=catalog_selectors.entries_by_pk())
    departments = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), many=True, required=False)
    items = keys()
    modes = serializers.ListField(child=serializers.ChoiceField(choices=Mode.choices), max_length=4)
    max_days = serializers.IntegerField(min_value=1, default=365)

    class Meta:
        model = Scenario
        fields = [
            "id",
            "name",
            "description",
            "entry",
            "items",
            "modes",
            "departments",
            "max_days",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class SharingPolicySerializer(serializers.Serializer):
    auto_grant_unconditional = serializers.BooleanField()


class SharingOverdueRowSerializer(serializers.Serializer):
    department_id = serializers.IntegerField()
    department = serializers.CharField()
    kind = serializers.ChoiceField(choices=Deadline.Kind.choices)
    total = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    open_overdue = serializers.IntegerField()
    overdue = serializers.IntegerField()
