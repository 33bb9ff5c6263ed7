"""Serializers of the detection API: they parse and show; the services decide."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from secops.detection.models import Alert, AlertEvidence, DetectionRule


class RuleSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_code_display", read_only=True)

    class Meta:
        model = DetectionRule
        fields = ["id", "code", "name", "enabled", "threshold", "factor", "window", "opens_incident", "changed_at"]
        read_only_fields = ["id", "code", "name", "changed_at"]


class RuleChangeSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(required=False)
    threshold = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000)
    factor = serializers.DecimalField(
        required=False, max_digits=6, decimal_places=2, min_value=Decimal("1"), max_value=Decimal("1000")
    )
    window = serializers.IntegerField(required=False, min_value=0, max_value=100_000)
    opens_incident = serializers.BooleanField(required=False)


@extend_schema_serializer(component_name="AlertEvidence")  # incidents has its own Evidence
class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlertEvidence
        fields = ["audit_entry_id", "occurred_at", "action"]


class AlertSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.code", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "rule",
            "subject",
            "subject_label",
            "kind",
            "status",
            "title",
            "description",
            "incident",
            "hits",
            "opened_at",
            "last_hit_at",
            "closed_at",
            "closed_by",
            "close_note",
        ]


class AlertDetailSerializer(AlertSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta(AlertSerializer.Meta):
        fields = [*AlertSerializer.Meta.fields, "evidence"]


class CloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)
