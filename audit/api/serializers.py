from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from audit.models import AuditBlock, AuditEntry, AuditHeadExport, AuditPartitionDrop, AuditVerification


class AuditEntrySerializer(serializers.ModelSerializer):
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "occurred_at",
            "actor_id",
            "actor_username",
            "actor_name",
            "department_id",
            "department_name",
            "role",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "outcome",
            "outcome_label",
            "client_ip",
            "request_id",
            "detail",
            "owner_department_id",
        ]
        read_only_fields = fields


class UsageEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "occurred_at",
            "actor_name",
            "department_id",
            "department_name",
            "role",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "outcome",
            "owner_department_id",
        ]
        read_only_fields = fields


class VerificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditVerification
        fields = [
            "id",
            "started_at",
            "finished_at",
            "trigger",
            "ok",
            "blocks_checked",
            "entries_checked",
            "unsealed_entries",
            "altered_ids",
            "removed_ids",
            "inserted_ids",
            "block_problems",
            "head_problems",
            "last_block_number",
            "last_block_hash",
        ]


class VerificationSummarySerializer(serializers.ModelSerializer):
    """For the bureau: whether the log is intact, never which entries."""

    problems = serializers.IntegerField(source="problem_count")

    class Meta:
        model = AuditVerification
        fields = [
            "id",
            "started_at",
            "finished_at",
            "trigger",
            "ok",
            "blocks_checked",
            "entries_checked",
            "unsealed_entries",
            "problems",
            "last_block_number",
            "last_block_hash",
        ]


class BlockSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditBlock
        fields = ["number", "block_hash", "sealed_at", "entry_count"]


class HeadExportSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditHeadExport
        fields = ["day", "block_number", "block_hash", "exported_at"]


class PartitionDropSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditPartitionDrop
        fields = [
            "partition",
            "month",
            "row_count",
            "first_block",
            "last_block",
            "chain_head_number",
            "chain_head_hash",
            "dropped_at",
        ]


class IntegritySerializer(serializers.Serializer):
    verification = serializers.SerializerMethodField()
    head = BlockSerializer(allow_null=True)
    head_export = HeadExportSerializer(allow_null=True)
    drops = PartitionDropSerializer(many=True)

    @extend_schema_field(VerificationSerializer(allow_null=True))
    def get_verification(self, obj):
        v = obj["verification"]
        if v is None:
            return None
        cls = VerificationSerializer if self.context.get("show_ids") else VerificationSummarySerializer
        return cls(v).data


class UsageQuerySerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=["provider", "user"], default="provider")
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)
