from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from catalog import rules
from catalog.models import (
    BaseKind,
    Category,
    DataFormat,
    DataItem,
    DataLoad,
    DeliveryMode,
    DutyChange,
    EntryVersion,
    ItemType,
    OpenType,
    ResourceEntry,
    ShareMethod,
    ShareType,
    UpdateDuty,
    UpdateFrequency,
)
from protection.grading.constants import GradeCategory


class DataItemSerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(choices=ItemType.choices, default=ItemType.STRING)
    length = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100000)

    # Lhasa art. 39 (docs/grading.md): the officer proposes a level and a category; confirmed by the bureau
    grade_level = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=1000)
    grade_category = serializers.ChoiceField(choices=GradeCategory.choices, default=GradeCategory.GENERAL)

    class Meta:
        model = DataItem
        fields = [
            "key",
            "name",
            "type",
            "length",
            "required",
            "sensitive",
            "description",
            "grade_level",
            "grade_category",
            "grade_confirmed",
        ]
        extra_kwargs = {"key": {"validators": []}, "name": {"validators": []}, "grade_confirmed": {"read_only": True}}


class ContentSerializer(serializers.Serializer):
    """The editable content of an entry (docs/features.md C1). Cross-field rules are checked by catalog.rules."""

    name = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=5000)
    category = serializers.ChoiceField(choices=Category.choices)
    base_kind = serializers.ChoiceField(choices=BaseKind.choices, required=False, allow_blank=True, default="")
    theme = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    data_format = serializers.ChoiceField(choices=DataFormat.choices, default=DataFormat.DATABASE)
    update_frequency = serializers.ChoiceField(choices=UpdateFrequency.choices)
    share_type = serializers.ChoiceField(choices=ShareType.choices)
    share_condition = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    share_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=DeliveryMode.choices), required=False, default=list, max_length=4
    )
    share_method = serializers.ChoiceField(choices=ShareMethod.choices, default=ShareMethod.API)
    usage_requirements = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    open_type = serializers.ChoiceField(choices=OpenType.choices, default=OpenType.NOT_OPEN)
    open_condition = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    legal_basis = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    related_codes = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list, max_length=50
    )
    change_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    grade_level = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=1000)
    grade_category = serializers.ChoiceField(choices=GradeCategory.choices, required=False)


class EntryWriteSerializer(ContentSerializer):
    items = DataItemSerializer(many=True, required=False)

    def validate_items(self, items):
        errors = rules.validate_items(items)
        if errors:
            raise serializers.ValidationError(errors["items"])
        return items


class EntryPatchSerializer(EntryWriteSerializer):
    def __init__(self, *args, **kwargs):
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class VersionSerializer(serializers.ModelSerializer):
    items = DataItemSerializer(many=True, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = EntryVersion
        fields = [
            "number",
            "status",
            "status_display",
            *rules.CONTENT_FIELDS,
            "publish_date",
            "submitted_at",
            "reviewed_at",
            "review_comment",
            "items",
        ]


class HiddenVersionSerializer(serializers.ModelSerializer):
    """A not-shared entry seen by another department: that it exists and who holds it."""

    class Meta:
        model = EntryVersion
        fields = ["number", "status", "name", "category", "share_type", "publish_date"]


class EntrySerializer(serializers.ModelSerializer):
    department = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()
    details_visible = serializers.SerializerMethodField()

    class Meta:
        model = ResourceEntry
        fields = ["id", "code", "department", "withdrawn_at", "withdrawal_reason", "details_visible", "version"]

    def _visible(self, entry):
        from catalog import selectors

        return selectors.may_see_details(self.context["request"].user, entry)

    def get_department(self, entry) -> dict:
        return {"id": entry.department_id, "name": entry.department.name, "uscc": entry.department.uscc}

    def get_details_visible(self, entry) -> bool:
        return self._visible(entry)

    def get_version(self, entry) -> dict:
        from catalog import selectors

        user = self.context["request"].user
        version = (
            entry.working_version
            if (selectors.may_see_working(user, entry) and entry.working_version)
            else entry.published_version
        )
        if version is None:
            return {}
        serializer = VersionSerializer if self._visible(entry) else HiddenVersionSerializer
        return serializer(version).data


class SearchHitSerializer(serializers.ModelSerializer):
    entry_id = serializers.IntegerField(source="entry.id")
    code = serializers.CharField(source="entry.code")
    department = serializers.CharField(source="entry.department.name")
    summary = serializers.SerializerMethodField()

    class Meta:
        model = EntryVersion
        fields = [
            "entry_id",
            "code",
            "number",
            "status",
            "name",
            "summary",
            "department",
            "category",
            "theme",
            "share_type",
            "open_type",
            "data_format",
            "publish_date",
        ]

    def get_summary(self, version) -> str:
        user = self.context["request"].user
        if version.share_type == ShareType.NOT_SHARED and version.entry.department_id != user.department_id:
            return ""
        return version.summary


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, label=_("原因"))


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class GradeSerializer(serializers.Serializer):
    level = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=1000)
    category = serializers.ChoiceField(choices=GradeCategory.choices, required=False)


class GradesSerializer(GradeSerializer):
    """The reviewer's grades (docs/grading.md): the entry's, and each item's by its code."""

    items = serializers.DictField(child=GradeSerializer(), required=False, default=dict)


class ApproveSerializer(CommentSerializer):
    grades = GradesSerializer(required=False)


class ReviseSerializer(serializers.Serializer):
    change_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DataLoadSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataLoad
        fields = [
            "id",
            "entry",
            "status",
            "filename",
            "file_size",
            "data_version",
            "row_count",
            "error_count",
            "errors",
            "encoding",
            "message",
            "created_at",
            "finished_at",
        ]


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class DutyChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DutyChange
        fields = ["id", "department", "kind", "description", "effective_date", "due_at", "recorded_at"]
        read_only_fields = ["due_at", "recorded_at"]


class UpdateDutySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="entry.code", read_only=True)

    class Meta:
        model = UpdateDuty
        fields = [
            "id",
            "entry",
            "code",
            "change",
            "due_at",
            "status",
            "reminded_at",
            "overdue_warned_at",
            "done_at",
            "done_note",
        ]
