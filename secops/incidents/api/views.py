"""The incident API: the same services as the pages (report, move, contain and lift, notify, report
upward and download the report)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.visibility import visible_or_404
from secops.incidents import selectors
from secops.incidents.api import serializers as s
from secops.incidents.models import Containment, UpwardReport
from secops.incidents.services import containment, notices, register, reports
from secops.incidents.services import scope as scoping

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class IncidentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The incidents the caller may see; data officers and the bureau report, the bureau handles."""

    filterset_fields = ["status", "level", "kind", "is_drill"]

    def get_queryset(self):
        return selectors.incidents_visible_to(self.request.user).order_by("-reported_at", "-id")

    def get_object(self):
        return visible_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_serializer_class(self):
        return s.IncidentDetailSerializer if self.action == "retrieve" else s.IncidentSerializer

    def _detail(self, incident) -> Response:
        incident = selectors.incidents_visible_to(self.request.user).get(pk=incident.pk)
        return Response(s.IncidentDetailSerializer(incident).data)

    @extend_schema(request=s.ReportSerializer, responses={201: s.IncidentDetailSerializer})
    def create(self, request):
        form = s.ReportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        incident = register.report_incident(actor=request.user, **form.validated_data)
        answer = self._detail(incident)
        answer.status_code = status.HTTP_201_CREATED
        return answer

    @extend_schema(request=s.MoveSerializer, responses=s.IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        form = s.MoveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        incident = register.incident_move(actor=request.user, incident=self.get_object(), **form.validated_data)
        return self._detail(incident)

    @extend_schema(request=s.ContainSerializer, responses=s.IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def contain(self, request, pk=None):
        incident = self.get_object()
        form = s.ContainSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        containment.contain(actor=request.user, incident=incident, **form.validated_data)
        return self._detail(incident)

    @extend_schema(request=s.ScopeSerializer, responses=s.IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def scope(self, request, pk=None):
        incident = self.get_object()
        form = s.ScopeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        scoping.incident_scope(actor=request.user, incident=incident, **form.validated_data)
        return self._detail(incident)

    @extend_schema(request=s.NoticeInputSerializer, responses=s.IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        incident = self.get_object()
        form = s.NoticeInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        notices.notify_affected(actor=request.user, incident=incident, **form.validated_data)
        return self._detail(incident)

    @extend_schema(request=None, responses=s.IncidentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="report-upward")
    def report_upward(self, request, pk=None):
        incident = self.get_object()
        reports.report_upward(actor=request.user, incident=incident)
        return self._detail(incident)


class ContainmentViewSet(viewsets.GenericViewSet):
    """Containment actions of the incidents the caller may see; the bureau lifts them."""

    serializer_class = s.ContainmentSerializer

    def get_queryset(self):
        return Containment.objects.filter(incident__in=selectors.incidents_visible_to(self.request.user))

    @extend_schema(request=s.LiftSerializer, responses=s.ContainmentSerializer)
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        hold = visible_or_404(self.get_queryset(), pk=pk)
        form = s.LiftSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return Response(
            s.ContainmentSerializer(containment.lift(actor=request.user, hold=hold, **form.validated_data)).data
        )


class UpwardReportViewSet(viewsets.GenericViewSet):
    serializer_class = s.UpwardReportSerializer

    def get_queryset(self):
        return UpwardReport.objects.filter(incident__in=selectors.incidents_visible_to(self.request.user))

    @extend_schema(responses={(200, DOCX): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        report = visible_or_404(self.get_queryset(), pk=pk)
        response = HttpResponse(reports.report_content(actor=request.user, report=report), content_type=DOCX)
        response["Content-Disposition"] = (
            f'attachment; filename="incident-{report.incident_id}-report-{report.pk}.docx"'
        )
        return response
