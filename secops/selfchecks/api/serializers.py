"""Serializers of the self-check API: they only parse and present; the services decide."""

from rest_framework import serializers

from secops.selfchecks.models import Finding, FindingChange, RiskAssessment, SelfCheckRun
from secops.selfchecks.services.findings import ACTIONS


class RunSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    findings_count = serializers.SerializerMethodField()

    class Meta:
        model = SelfCheckRun
        fields = [
            "id",
            "kind",
            "kind_display",
            "period_key",
            "status",
            "status_display",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "checks_done",
            "checks_total",
            "error",
            "findings_count",
        ]

    def get_findings_count(self, run) -> int:
        return run.findings.count()


class FindingChangeSerializer(serializers.ModelSerializer):
    # plain strings: the same choices as Finding.status under other names would be a second enum
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)

    class Meta:
        model = FindingChange
        fields = ["from_status", "to_status", "actor", "at", "note"]


class FindingSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    severity_display = serializers.CharField(source="get_severity_display", read_only=True)
    changes = FindingChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "run",
            "check_code",
            "severity",
            "severity_display",
            "owner_department",
            "subject",
            "detail",
            "status",
            "status_display",
            "reason",
            "created_at",
            "changed_at",
            "changes",
        ]


class FindingStateSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "year",
            "title",
            "scope",
            "method",
            "conclusion",
            "findings",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["findings", "created_by", "created_at", "updated_at"]


class AssessmentInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=200)
    scope = serializers.CharField(max_length=20000)
    method = serializers.CharField(max_length=20000)
    conclusion = serializers.CharField(max_length=20000)
    finding_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62), required=False, default=list, max_length=1000
    )
