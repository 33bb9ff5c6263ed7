"""Serializers of the open-data API: input parsing and output shapes (rules live in the services)."""

from django.urls import reverse
from rest_framework import serializers

from catalog.datastore import masking
from catalog.models import UpdateFrequency
from openness import selectors
from openness.models import ApiKey, Application, DatasetVersion, OpenKind
from openness.services.usage import FORMATS


def _downloads(request, dataset, number=None) -> dict:
    urls = {}
    for fmt in FORMATS:
        path = (
            reverse("openness:download", args=[dataset.pk, fmt])
            if number is None
            else reverse("openness:version_download", args=[dataset.pk, number, fmt])
        )
        urls[fmt] = request.build_absolute_uri(path) if request else path
    return urls


class OpenItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    type = serializers.CharField()
    masking = serializers.SerializerMethodField()

    def get_masking(self, item) -> str:
        return masking.Rule.from_dict(item).label


class OpenDatasetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField(source="published_version.title")
    summary = serializers.CharField(source="published_version.summary")
    theme = serializers.CharField(source="published_version.theme")
    department = serializers.SerializerMethodField()
    open_type = serializers.ChoiceField(source="published_version.open_type", choices=OpenKind.choices)
    update_frequency = serializers.ChoiceField(
        source="published_version.update_frequency", choices=UpdateFrequency.choices
    )
    data_format = serializers.CharField(source="published_version.data_format")
    version = serializers.IntegerField(source="published_version.number")
    published_at = serializers.DateTimeField(source="last_published_at")
    row_count = serializers.IntegerField(source="published_version.row_count")
    stale = serializers.BooleanField(source="is_stale")
    withdrawn = serializers.BooleanField(source="is_withdrawn")
    download_count = serializers.IntegerField()
    api_call_count = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_department(self, dataset) -> dict:
        return {"id": dataset.department_id, "name": dataset.department.name}

    def get_url(self, dataset) -> str:
        request = self.context.get("request")
        path = reverse("open-api-dataset-detail", args=[dataset.pk])
        return request.build_absolute_uri(path) if request else path


def _readable(context, version) -> bool:
    request = context.get("request")
    return selectors.may_read_version(getattr(request, "user", None), version)


class OpenVersionHistorySerializer(serializers.ModelSerializer):
    downloads = serializers.SerializerMethodField()
    readable = serializers.SerializerMethodField(
        help_text="调用者能否读取该版本的数据（依申请开放的版本需获得同意的申请）"
    )

    class Meta:
        model = DatasetVersion
        fields = ["number", "status", "open_type", "published_at", "row_count", "change_note", "readable", "downloads"]

    def get_readable(self, version) -> bool:
        return _readable(self.context, version)

    def get_downloads(self, version) -> dict:
        if not version.is_downloadable or version.dataset.is_withdrawn:
            return {}
        return _downloads(self.context.get("request"), version.dataset, version.number)


class OpenDatasetDetailSerializer(OpenDatasetSerializer):
    open_condition = serializers.CharField(source="published_version.open_condition")
    update_due_at = serializers.DateTimeField()
    stale_since = serializers.DateTimeField(allow_null=True, read_only=True)
    items = OpenItemSerializer(source="published_version.items", many=True)
    versions = serializers.SerializerMethodField()
    downloads = serializers.SerializerMethodField()
    withdrawal = serializers.SerializerMethodField()

    def get_versions(self, dataset) -> list[dict]:
        return OpenVersionHistorySerializer(selectors.history(dataset), many=True, context=self.context).data

    def get_downloads(self, dataset) -> dict:
        return {} if dataset.is_withdrawn else _downloads(self.context.get("request"), dataset)

    def get_withdrawal(self, dataset) -> dict | None:
        if not dataset.is_withdrawn:
            return None
        return {"at": dataset.withdrawn_at.isoformat(), "reason": dataset.withdrawal_reason}


class OpenRowsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    version = serializers.IntegerField()
    fields = serializers.ListField(child=serializers.DictField())
    rows = serializers.ListField(child=serializers.DictField())


class OpenNegativeEntrySerializer(serializers.Serializer):
    code = serializers.CharField(source="entry.code")
    name = serializers.CharField()
    department = serializers.CharField(source="entry.department.name")
    open_condition = serializers.CharField()
    legal_basis = serializers.CharField()
    publish_date = serializers.DateField()


class OpenApiKeySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]


class OpenApiKeyCreatedSerializer(OpenApiKeySerializer):
    secret = serializers.CharField(help_text="只在创建时返回一次")

    class Meta(OpenApiKeySerializer.Meta):
        fields = OpenApiKeySerializer.Meta.fields + ["secret"]


class OpenNameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)


class OpenApplicationSerializer(serializers.ModelSerializer):
    dataset_title = serializers.CharField(source="dataset.published_version.title", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "dataset",
            "dataset_title",
            "status",
            "purpose",
            "intended_use",
            "submitted_at",
            "due_at",
            "answered_at",
            "answer",
            "expires_at",
            "rereview_reason",
            "rereview_requested_at",
            "rereview_due_at",
            "rereviewed_at",
            "rereview_comment",
        ]
        read_only_fields = fields


class OpenApplicationCreateSerializer(serializers.Serializer):
    dataset = serializers.IntegerField()
    purpose = serializers.CharField(max_length=2000)
    intended_use = serializers.CharField(max_length=2000)


class OpenAnswerSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    answer = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class OpenRereviewDecisionSerializer(OpenAnswerSerializer):
    """The bureau's re-review decision: its reasons are required (the service refuses one without)."""

    answer = serializers.CharField(max_length=2000)


class OpenReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class OpenCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class OpenItemChoiceSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=63)
    rule = serializers.ChoiceField(choices=list(masking.RULES), default=masking.NONE)
    first = serializers.IntegerField(min_value=0, max_value=masking.MAX_KEEP, default=0)
    last = serializers.IntegerField(min_value=0, max_value=masking.MAX_KEEP, default=0)


class OpenProposalSerializer(serializers.Serializer):
    entry = serializers.IntegerField(required=False, help_text="目录资源编号（用其最新归集数据）")
    upload = serializers.IntegerField(required=False, help_text="上传文件编号")
    dataset = serializers.IntegerField(required=False, help_text="更新已有数据集时填写")
    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(required=False)
    theme = serializers.CharField(max_length=50, required=False, allow_blank=True)
    update_frequency = serializers.ChoiceField(choices=UpdateFrequency.choices, required=False)
    open_type = serializers.ChoiceField(choices=OpenKind.choices, required=False)
    open_condition = serializers.CharField(required=False, allow_blank=True)
    change_note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    items = OpenItemChoiceSerializer(many=True)


class OpenVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DatasetVersion
        fields = [
            "id",
            "dataset",
            "number",
            "status",
            "title",
            "summary",
            "theme",
            "open_type",
            "open_condition",
            "update_frequency",
            "data_format",
            "change_note",
            "source",
            "items",
            "columns",
            "row_count",
            "check_report",
            "proposed_at",
            "reviewed_at",
            "review_comment",
            "published_at",
        ]
        read_only_fields = fields


class OpenUploadSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    filename = serializers.CharField(read_only=True)
    row_count = serializers.IntegerField(read_only=True)
    columns = serializers.ListField(child=serializers.DictField(), read_only=True)
