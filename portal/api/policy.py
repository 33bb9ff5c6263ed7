"""API of the settings the bureau owns (issue 19, part 4): read them, and set a value from a date."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import policy as registry
from portal.api.permissions import PortalPermission
from portal.models import PolicySetting
from portal.services.policy import policy_set


class PolicyRowSerializer(serializers.ModelSerializer):
    set_by = serializers.CharField(source="set_by.get_full_name", read_only=True)

    class Meta:
        model = PolicySetting
        fields = ["value", "effective_from", "reason", "set_by", "created_at"]


class PolicySerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=[registry.DAYS, registry.TEXT])
    group = serializers.CharField()
    value = serializers.CharField(help_text="The value in force today (an integer for working days).")
    default = serializers.CharField(help_text="The environment default, used without a row in force.")
    since = serializers.DateField(allow_null=True, help_text="Effective date of the row in force; null: the default.")


class PolicyDetailSerializer(PolicySerializer):
    history = PolicyRowSerializer(many=True)


class PolicyWriteSerializer(serializers.Serializer):
    value = serializers.CharField(max_length=registry.MAX_TEXT, help_text="Working days (1-60) or the article text.")
    effective_from = serializers.DateField(help_text="Today or later (Asia/Shanghai).")
    reason = serializers.CharField(max_length=300)


def _describe(found: registry.Policy, *, history: bool = False) -> dict:
    today = timezone.localdate()
    rows = registry.history(found.key)
    current = next((d for d, _v in rows if d <= today), None)
    answer = {
        "key": found.key,
        "label": str(found.label),
        "kind": found.kind,
        "group": str(found.group),
        "value": str(registry.value(found.key, on=today)),
        "default": str(found.default_value()),
        "since": current,
    }
    if history:
        answer["history"] = PolicyRowSerializer(
            PolicySetting.objects.filter(key=found.key).select_related("set_by"), many=True
        ).data
    return answer


class PolicyListView(APIView):
    """Every deadline length and cited article the bureau sets, with the value in force today."""

    permission_classes = [IsAuthenticated, PortalPermission]
    required_perms = {"*": "portal.view_policysetting"}

    @extend_schema(responses={200: PolicySerializer(many=True)})
    def get(self, request):
        return Response([_describe(found) for found in registry.REGISTRY.values()])


class PolicyDetailView(APIView):
    """One setting with its history; POST sets a new value in force from a date (open items keep theirs)."""

    permission_classes = [IsAuthenticated, PortalPermission]
    required_perms = {"GET": "portal.view_policysetting", "POST": "portal.add_policysetting"}

    def _found(self, key: str) -> registry.Policy:
        found = registry.REGISTRY.get(key)
        if found is None:
            raise Http404
        return found

    @extend_schema(responses={200: PolicyDetailSerializer})
    def get(self, request, key: str):
        return Response(_describe(self._found(key), history=True))

    @extend_schema(request=PolicyWriteSerializer, responses={201: PolicyDetailSerializer})
    def post(self, request, key: str):
        found = self._found(key)
        body = PolicyWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        policy_set(actor=request.user, key=key, **body.validated_data)
        return Response(_describe(found, history=True), status=status.HTTP_201_CREATED)
