"""The self-check API: runs (list, start one, read its report), findings (list, read, change their
state), risk assessments (list, create, update): the same services and selectors as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from portal.errors import PermissionDeniedError
from portal.permissions import can
from portal.visibility import visible_or_404
from secops.selfchecks import selectors
from secops.selfchecks.api import serializers as s
from secops.selfchecks.models import Finding, RiskAssessment, SelfCheckRun
from secops.selfchecks.services import assessments, findings, runs


class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Self-check runs, for the bureau and the auditors; POST starts an on-demand run (bureau)."""

    serializer_class = s.RunSerializer
    filterset_fields = ["kind", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular, with no user to filter by
            return SelfCheckRun.objects.none()
        return selectors.runs_visible_to(self.request.user).order_by("-created_at", "-id")

    def get_object(self):
        return visible_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(request=None, responses={201: s.RunSerializer})
    def create(self, request):
        run = runs.run_request(actor=request.user)
        return Response(s.RunSerializer(run).data, status=status.HTTP_201_CREATED)


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Findings the caller may see; PATCH moves one (fix / accept with reason / reopen)."""

    serializer_class = s.FindingSerializer
    filterset_fields = ["status", "severity", "check_code", "run", "owner_department"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular, with no user to filter by
            return Finding.objects.none()
        return (
            selectors.findings_visible_to(self.request.user).prefetch_related("changes").order_by("-created_at", "-id")
        )

    def get_object(self):
        return visible_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(request=s.FindingStateSerializer, responses=s.FindingSerializer)
    def partial_update(self, request, pk=None):
        finding = self.get_object()
        form = s.FindingStateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        findings.finding_move(actor=request.user, finding=finding, **form.validated_data)
        return Response(s.FindingSerializer(self.get_queryset().get(pk=finding.pk)).data)


class AssessmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Risk assessments (风险评估): read by the bureau and the auditors, written by the bureau admin."""

    serializer_class = s.AssessmentSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model from it
            return RiskAssessment.objects.none()
        if not can(self.request.user, selectors.VIEW_ASSESSMENTS):
            raise PermissionDeniedError()
        return selectors.assessments_visible_to(self.request.user).order_by("-year", "-id")

    def get_object(self):
        return visible_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(request=s.AssessmentInputSerializer, responses={201: s.AssessmentSerializer})
    def create(self, request):
        form = s.AssessmentInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        made = assessments.assessment_create(actor=request.user, **form.validated_data)
        return Response(s.AssessmentSerializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AssessmentInputSerializer, responses=s.AssessmentSerializer)
    def partial_update(self, request, pk=None):
        assessment = self.get_object()
        form = s.AssessmentInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        done = assessments.assessment_update(actor=request.user, assessment=assessment, **form.validated_data)
        return Response(s.AssessmentSerializer(done).data)
