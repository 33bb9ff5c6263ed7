"""The detection API: the rules (read, change: the bureau admin) and the alerts (read by the bureau's
security staff and the auditors, closed by the staff), over the same services and selectors."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.permissions import require
from portal.visibility import visible_or_404
from secops.detection import selectors
from secops.detection.api import serializers as s
from secops.detection.services import alerts, rules


class RuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """监测规则: each rule's switch and numbers."""

    serializer_class = s.RuleSerializer
    http_method_names = ["get", "patch", "head", "options"]
    pagination_class = None

    def get_queryset(self):
        return selectors.rules_visible_to(self.request.user)

    def get_object(self):
        return visible_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        require(request.user, selectors.VIEW_RULES)
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.RuleChangeSerializer, responses=s.RuleSerializer)
    def partial_update(self, request, pk=None):
        rule = self.get_object()
        form = s.RuleChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        rule = rules.rule_update(actor=request.user, rule=rule, **form.validated_data)
        return Response(s.RuleSerializer(rule).data)


class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """监测告警 with their evidence (audit entry ids)."""

    filterset_fields = ["status", "kind"]

    def get_queryset(self):
        return selectors.alerts_visible_to(self.request.user).order_by("-last_hit_at", "-id")

    def get_object(self):
        return visible_or_404(self.get_queryset().prefetch_related("evidence"), pk=self.kwargs["pk"])

    def get_serializer_class(self):
        return s.AlertDetailSerializer if self.action == "retrieve" else s.AlertSerializer

    def list(self, request, *args, **kwargs):
        require(request.user, selectors.VIEW_ALERTS)
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.CloseSerializer, responses=s.AlertDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        alert = self.get_object()
        form = s.CloseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        alerts.alert_close(actor=request.user, alert=alert, note=form.validated_data["note"])
        return Response(s.AlertDetailSerializer(self.get_object()).data)

    @extend_schema(request=None, responses=s.AlertDetailSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        alerts.alert_escalate(actor=request.user, alert=self.get_object())
        return Response(s.AlertDetailSerializer(self.get_object()).data)
