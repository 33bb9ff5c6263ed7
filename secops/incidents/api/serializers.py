"""Serializers of the incident API: they parse and show; the services decide."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from catalog.models import ResourceEntry
from openness.models import ApiKey, Dataset
from portal.models import Department
from secops.incidents.models import Action, Containment, Evidence, Incident, Kind, Level, Notice, UpwardReport
from sharing.models import Grant


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = ["id", "kind", "at", "actor", "text"]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "kind", "audit_entry_id", "receipt", "file_name", "file_size", "note", "added_by", "added_at"]


class ContainmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Containment
        fields = [
            "id",
            "kind",
            "grant",
            "user",
            "api_key",
            "department",
            "entry",
            "dataset",
            "reason",
            "active",
            "applied_by",
            "applied_at",
            "lifted_by",
            "lifted_at",
            "lift_reason",
        ]


class NoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notice
        fields = ["id", "title", "body", "sent_by", "sent_at", "recipients", "emails"]


class UpwardReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = UpwardReport
        fields = ["id", "made_by", "made_at", "authority"]


class IncidentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Incident
        fields = [
            "id",
            "title",
            "kind",
            "level",
            "status",
            "is_drill",
            "description",
            "exposed",
            "advice",
            "reported_by",
            "reporter_department",
            "reported_at",
            "response_due_at",
            "upward_due_at",
            "responded_at",
            "upward_reported_at",
            "contained_at",
            "closed_at",
            "summary",
            "affected_departments",
            "affected_users",
            "entries",
            "grants",
            "persons",
        ]


class IncidentDetailSerializer(IncidentSerializer):
    actions = ActionSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    containments = ContainmentSerializer(many=True, read_only=True)
    notices = NoticeSerializer(many=True, read_only=True)
    upward_reports = UpwardReportSerializer(many=True, read_only=True)

    class Meta(IncidentSerializer.Meta):
        fields = [*IncidentSerializer.Meta.fields, "actions", "evidence", "containments", "notices", "upward_reports"]


class ReportSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Kind.choices)
    level = serializers.ChoiceField(choices=Level.choices)
    is_drill = serializers.BooleanField(default=False)
    description = serializers.CharField(max_length=5000)
    exposed = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    advice = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    departments = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Department.objects.all(), required=False, default=list
    )
    users = serializers.PrimaryKeyRelatedField(
        many=True, queryset=get_user_model().objects.all(), required=False, default=list
    )
    entries = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ResourceEntry.objects.all(), required=False, default=list
    )
    grants = serializers.PrimaryKeyRelatedField(many=True, queryset=Grant.objects.all(), required=False, default=list)
    persons = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list)


class MoveSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["handle", "contain", "reopen", "close"])
    note = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)


class ContainSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Containment.Kind.choices)
    grant = serializers.PrimaryKeyRelatedField(queryset=Grant.objects.all(), required=False, default=None)
    user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all(), required=False, default=None)
    api_key = serializers.PrimaryKeyRelatedField(queryset=ApiKey.objects.all(), required=False, default=None)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, default=None)
    entry = serializers.PrimaryKeyRelatedField(queryset=ResourceEntry.objects.all(), required=False, default=None)
    dataset = serializers.PrimaryKeyRelatedField(queryset=Dataset.objects.all(), required=False, default=None)
    reason = serializers.CharField(max_length=2000)


class LiftSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class NoticeInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=190, required=False, default="", allow_blank=True)
    body = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)


class ScopeSerializer(serializers.Serializer):
    departments = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Department.objects.all(), required=False, default=list
    )
    users = serializers.PrimaryKeyRelatedField(
        many=True, queryset=get_user_model().objects.all(), required=False, default=list
    )
    entries = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ResourceEntry.objects.all(), required=False, default=list
    )
    grants = serializers.PrimaryKeyRelatedField(many=True, queryset=Grant.objects.all(), required=False, default=list)
    persons = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list)
