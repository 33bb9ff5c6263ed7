"""The audit API (A4, A5): auditors search, read and export the log; the bureau sees whether it is
intact; a department's data officer sees its usage log. Every call is itself recorded."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.api.pagination import KeysetPagination
from audit.api.serializers import AuditEntrySerializer, IntegritySerializer, UsageEntrySerializer, UsageQuerySerializer
from audit.export_response import XLSX, export_response
from audit.filters import AuditEntryFilter
from audit.models import AuditEntry, Outcome
from audit.selectors import integrity_status, usage_entries
from audit.services import exports, record
from audit.usage_forms import UsageQueryForm
from portal.permissions import can


class _Recorded:
    """Refusals are recorded before the 403 (a refused read leaves a trace too)."""

    audit_action = ""

    def refuse_unless(self, request, perm: str):
        if not can(request.user, perm):
            record(
                self.audit_action, outcome=Outcome.DENIED, request=request._request, detail={"path": request.path[:300]}
            )
            raise PermissionDenied()


class AuditEntryViewSet(_Recorded, viewsets.ReadOnlyModelViewSet):
    """审计日志 for auditors: filter by time (since/until), department, actor, action (prefix), object,
    outcome, client address, request id; newest first, keyset pages. Export: GET export/?fmt=csv|xlsx."""

    serializer_class = AuditEntrySerializer
    permission_classes = [IsAuthenticated]
    filterset_class = AuditEntryFilter
    pagination_class = KeysetPagination
    audit_action = "audit.api.view"

    def get_queryset(self):
        return AuditEntry.objects.all().order_by("-occurred_at", "-id")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.refuse_unless(request, "audit.view_auditentry")

    def _filterset(self, request):
        filterset = AuditEntryFilter(request.query_params, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset

    def list(self, request, *args, **kwargs):
        filterset = self._filterset(request)
        page = self.paginate_queryset(filterset.qs)
        record("audit.api.view", request=request._request, detail={"filters": filterset.applied()})
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        entry = self.get_object()
        record("audit.entry.view", target=entry, request=request._request)
        return Response(self.get_serializer(entry).data)

    def get_object(self):
        from portal.visibility import visible_or_404

        return visible_or_404(self.get_queryset(), pk=self.kwargs["pk"])  # SECURITY.md 14.4

    @extend_schema(
        parameters=[OpenApiParameter("fmt", str, enum=[*exports.FORMATS])],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, XLSX): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The filtered log as CSV or Excel (auditors; the export is itself recorded)."""
        fmt = request.query_params.get("fmt", "csv")
        filterset = self._filterset(request)
        queryset = filterset.qs.order_by("-occurred_at", "-id")
        return export_response(actor=request.user, queryset=queryset, fmt=fmt, filters=filterset.applied())


class IntegrityView(_Recorded, APIView):
    """Last verification of the chain, its head, the last head export and partition drops.
    The bureau admin sees counts; auditors also see which entries."""

    permission_classes = [IsAuthenticated]
    audit_action = "audit.integrity.view"

    @extend_schema(responses={200: IntegritySerializer})
    def get(self, request):
        self.refuse_unless(request, "audit.view_auditverification")
        record("audit.integrity.view", request=request._request)
        context = {"show_ids": can(request.user, "audit.view_auditentry")}
        return Response(IntegritySerializer(integrity_status(), context=context).data)


class UsageView(_Recorded, APIView):
    """The usage log of the caller's department (Lhasa art. 41; S8): role=provider (its data used by
    anyone) or role=user (its own use of data); since/until are dates (default: the last 30 days)."""

    permission_classes = [IsAuthenticated]
    audit_action = "audit.usage.view"

    @extend_schema(
        parameters=[UsageQuerySerializer, OpenApiParameter("cursor", str)],
        responses={
            200: inline_serializer(
                "AuditUsagePage",
                {"next": serializers.CharField(allow_null=True), "results": UsageEntrySerializer(many=True)},
            )
        },
    )
    def get(self, request):
        self.refuse_unless(request, "audit.view_usage")
        if request.user.department_id is None:
            record("audit.usage.view", outcome=Outcome.DENIED, request=request._request)
            raise PermissionDenied()
        form = UsageQueryForm(request.query_params or {"role": "provider"})
        if not form.is_valid():
            raise ValidationError(form.errors)
        entries = usage_entries(
            department=request.user.department,
            role=form.cleaned_data["role"],
            since=form.since_moment(),
            until=form.until_moment(),
        )
        paginator = KeysetPagination()
        page = paginator.paginate_queryset(entries, request, view=self)
        record(
            "audit.usage.view",
            target=request.user.department,
            request=request._request,
            detail={k: str(v) for k, v in form.cleaned_data.items()},
        )
        return paginator.get_paginated_response(UsageEntrySerializer(page, many=True).data)
