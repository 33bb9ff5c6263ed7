"""REST API of the catalog: the same services and selectors as the pages."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import datastore, exports, selectors
from catalog.api import serializers as s
from catalog.models import DataLoad, ResourceEntry, UpdateDuty
from catalog.services import duties, entries, loads
from catalog.services import grades as grading
from portal.api.schema import EMPTY, file_upload
from portal.permissions import can
from portal.visibility import visible_or_404


def object_pk(value) -> int:
    """The id in a catalog API path. SECURITY.md 14.10: an id that is not a positive integer (`null,null`,
    `1.5`, `-1`, a list) answered 500 where the view parsed it itself; it is a 404 saying why."""
    text = str(value if value is not None else "")
    if not (text.isascii() and text.isdigit()) or len(text) > 18 or int(text) < 1:
        raise NotFound(_("编号「%(value)s」无效：编号应为正整数。") % {"value": text[:40]})
    return int(text)


SEARCH_PARAMS = [
    OpenApiParameter("q", str, description=_("关键词（中文按双字切分检索）")),
    OpenApiParameter("sort", str, enum=list(selectors.SORTS)),
] + [OpenApiParameter(f, str) for f in selectors.FACETS]


class EntryViewSet(viewsets.GenericViewSet):
    """Catalog entries: search with facets, register, edit, submit, review, revise, withdraw."""

    serializer_class = s.EntrySerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no user
            return ResourceEntry.objects.none()
        return selectors.entries_visible_to(self.request.user).order_by("code")

    def get_object(self):
        # SECURITY.md 14.4: a hidden entry's 404 is audited
        return visible_or_404(selectors.entries_visible_to(self.request.user), pk=object_pk(self.kwargs["pk"]))

    def _entry_response(self, entry, code=status.HTTP_200_OK):
        entry = selectors.entry_for(self.request.user, entry.pk)
        return Response(s.EntrySerializer(entry, context={"request": self.request}).data, status=code)

    @extend_schema(
        parameters=SEARCH_PARAMS
        + [
            OpenApiParameter("page", {"anyOf": [{"type": "integer"}, EMPTY]}),
            OpenApiParameter("department", {"type": "string", "pattern": "^[0-9]*$"}, description=_("部门编号")),
        ],
        # the page of hits is the whole answer: no list of it (drf-spectacular's list mechanics)
        responses=set_override(
            inline_serializer(
                "CatalogSearch",
                {
                    "count": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": s.SearchHitSerializer(many=True),
                    "facets": serializers.DictField(),
                },
            ),
            "many",
            False,
        ),
    )
    def list(self, request):
        filters = {f: request.query_params.get(f, "").strip()[:60] for f in selectors.FACETS}
        if filters["department"] and not filters["department"].isdigit():
            raise serializers.ValidationError({"department": [_("部门必须是编号。")]})
        sort = request.query_params.get("sort", "relevance")
        if sort not in selectors.SORTS:
            raise serializers.ValidationError({"sort": [_("排序方式无效。")]})
        result = selectors.search_versions(
            request.user, q=request.query_params.get("q", "")[:100], filters=filters, sort=sort
        )
        page = self.paginate_queryset(result.versions)
        data = s.SearchHitSerializer(page, many=True, context={"request": request}).data
        response = self.get_paginated_response(data)
        response.data["facets"] = {k: [{"value": v, "count": n} for v, n in vals] for k, vals in result.facets.items()}
        return response

    @extend_schema(request=s.EntryWriteSerializer, responses={201: s.EntrySerializer})
    def create(self, request):
        data = s.EntryWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        content = dict(data.validated_data)
        items = [dict(i) for i in content.pop("items", [])]
        if request.user.department is None:
            raise PermissionDenied(_("只有部门用户可以登记资源。"))
        entry = entries.entry_create(
            actor=request.user, department=request.user.department, content=content, items=items
        )
        return self._entry_response(entry, status.HTTP_201_CREATED)

    def retrieve(self, request, pk=None):
        return self._entry_response(self.get_object())

    @extend_schema(request=s.EntryPatchSerializer, responses={200: s.EntrySerializer})
    def partial_update(self, request, pk=None):
        entry = self.get_object()
        data = s.EntryPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        content = dict(data.validated_data)
        items = content.pop("items", None)
        entries.version_update(
            actor=request.user,
            entry=entry,
            content=content,
            items=[dict(i) for i in items] if items is not None else None,
        )
        return self._entry_response(entry)

    @extend_schema(request=None, responses={200: s.EntrySerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        entry = self.get_object()
        entries.entry_submit(actor=request.user, entry=entry)
        return self._entry_response(entry)

    @extend_schema(request=s.ApproveSerializer, responses={200: s.EntrySerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        entry = self.get_object()
        data = s.ApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entries.entry_approve(
            actor=request.user,
            entry=entry,
            comment=data.validated_data["comment"],
            grades=data.validated_data.get("grades"),
        )
        return self._entry_response(entry)

    @extend_schema(request=s.GradesSerializer, responses={200: s.EntrySerializer})
    @action(detail=True, methods=["post"])
    def grades(self, request, pk=None):
        """The bureau reviewer confirms a published entry's grades (docs/grading.md)."""
        entry = self.get_object()
        data = s.GradesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grading.grades_confirm(actor=request.user, entry=entry, grades=data.validated_data)
        return self._entry_response(entry)

    @extend_schema(request=s.ReasonSerializer, responses={200: s.EntrySerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        entry = self.get_object()
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entries.entry_return(actor=request.user, entry=entry, reasons=data.validated_data["reason"])
        return self._entry_response(entry)

    @extend_schema(request=s.ReviseSerializer, responses={200: s.EntrySerializer})
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        entry = self.get_object()
        data = s.ReviseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entries.entry_revise(actor=request.user, entry=entry, change_note=data.validated_data["change_note"])
        return self._entry_response(entry)

    @extend_schema(request=s.ReasonSerializer, responses={200: s.EntrySerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        entry = self.get_object()
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entries.entry_withdraw(actor=request.user, entry=entry, reason=data.validated_data["reason"])
        return self._entry_response(entry)

    @extend_schema(responses={200: s.VersionSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request, pk=None):
        entry = self.get_object()
        if not selectors.may_see_details(request.user, entry):
            raise PermissionDenied(_("不予共享的资源不公开其版本内容。"))
        qs = entry.versions.prefetch_related("items").order_by("-number")
        if not selectors.may_see_working(request.user, entry):
            qs = qs.exclude(status__in=["draft", "submitted", "returned"])
        return Response(s.VersionSerializer(qs, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
            OpenApiParameter("data_version", int, description=_("默认为最新的数据版本")),
        ],
        responses=inline_serializer(
            "EntryRows",
            {
                "count": serializers.IntegerField(),
                "data_version": serializers.IntegerField(allow_null=True),
                "rows": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    @action(detail=True, methods=["get"])
    def rows(self, request, pk=None):
        """Rows of a data version (the latest by default; older ones stay readable until a bureau admin
        removes them), for the department, the bureau and full-row grant holders."""
        from audit.services import record

        entry = self.get_object()
        if not (selectors.may_see_details(request.user, entry) and selectors.may_see_rows(request.user, entry)):
            record("catalog.rows.read", target=entry, outcome="denied")
            raise PermissionDenied(_("您无权查看该资源的数据。"))
        try:
            wanted = request.query_params.get("data_version")
            latest = (
                loads.latest_load(entry)
                if not wanted
                else entry.loads.filter(status=DataLoad.Status.SUCCEEDED, data_version=int(wanted)).first()
            )
        except ValueError:
            raise serializers.ValidationError({"data_version": [_("数据版本必须是正整数。")]}) from None
        if latest is None:
            if wanted:
                raise Http404
            return Response({"count": 0, "data_version": None, "rows": []})
        try:
            page = max(1, int(request.query_params.get("page", 1)))
            size = min(200, max(1, int(request.query_params.get("page_size", 50))))
        except ValueError:
            raise serializers.ValidationError({"page": [_("页码必须是正整数。")]}) from None
        columns = [datastore.Column(**c) for c in latest.columns]
        masked = loads.masked_for(request.user, entry, columns)
        if masked:
            from catalog.datastore import usage

            rows, total = usage.query(latest.table_name, columns, masked=masked, page=page, page_size=size)
        else:
            rows, total = datastore.query_rows(latest.table_name, columns, page=page, page_size=size)
        record(
            "catalog.rows.read",
            target=entry,
            detail={"data_version": latest.data_version, "page": page, "rows": len(rows), "masked": sorted(masked)},
        )
        return Response({"count": total, "data_version": latest.data_version, "rows": rows})

    @extend_schema(request=file_upload(s.UploadSerializer, "data.csv"), responses={201: s.DataLoadSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def loads(self, request, pk=None):
        entry = self.get_object()
        data = s.UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        load = loads.load_start(actor=request.user, entry=entry, upload=data.validated_data["file"])
        load.refresh_from_db()
        return Response(s.DataLoadSerializer(load).data, status=status.HTTP_201_CREATED)


class DataLoadViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The result of a data load: status, rows, rejected rows with line and reason."""

    serializer_class = s.DataLoadSerializer

    def get_queryset(self):
        return selectors.loads_visible_to(self.request.user)

    def get_object(self):
        return visible_or_404(self.get_queryset(), pk=object_pk(self.kwargs["pk"]))

    @extend_schema(request=None, responses={200: s.DataLoadSerializer})
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        load = loads.load_remove(actor=request.user, load=self.get_object())
        return Response(s.DataLoadSerializer(load).data)


class DutyChangeViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Changes in law or duties recorded by the bureau (Lhasa art. 7)."""

    serializer_class = s.DutyChangeSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return duties.DutyChange.objects.none()
        if not can(self.request.user, "catalog.view_dutychange"):
            return duties.DutyChange.objects.filter(department_id=self.request.user.department_id)
        return duties.DutyChange.objects.all()

    def create(self, request):
        data = s.DutyChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        change = duties.duty_change_record(
            actor=request.user,
            department=v["department"],
            kind=v["kind"],
            description=v["description"],
            effective_date=v["effective_date"],
        )
        return Response(s.DutyChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class UpdateDutyViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Entries that must be updated by a deadline; a department confirms those that need no change."""

    serializer_class = s.UpdateDutySerializer
    filterset_fields = ["status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UpdateDuty.objects.none()
        return selectors.duties_visible_to(self.request.user).order_by("due_at")

    @extend_schema(
        request=inline_serializer("DutyConfirm", {"note": serializers.CharField(max_length=500)}),
        responses={200: s.UpdateDutySerializer},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        duty = visible_or_404(self.get_queryset(), pk=object_pk(pk))
        note = str(request.data.get("note", ""))[:500] if hasattr(request.data, "get") else ""
        duty = duties.duty_confirm_unchanged(actor=request.user, duty=duty, note=note)
        return Response(s.UpdateDutySerializer(duty).data)


class _FileFormatNegotiation(BaseContentNegotiation):
    """The export's own `format` parameter names the file, not a DRF renderer. SECURITY.md 14.17: DRF's
    negotiation read `?format=csv` as URL_FORMAT_OVERRIDE, found no such renderer and answered 404
    before the view ran. The view returns the file itself; its errors are rendered as JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportView(APIView):
    """The catalog export (docs/features.md C6) for API clients: ?format=csv|xlsx|jsonld."""

    content_negotiation_class = _FileFormatNegotiation

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["csv", "xlsx", "jsonld"], required=True)],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
            (200, "application/ld+json"): OpenApiTypes.OBJECT,
        },
    )
    def get(self, request):
        fmt = request.query_params.get("format", "")
        if fmt not in exports.FORMATS:
            raise serializers.ValidationError({"format": [_("格式只能是 csv、xlsx 或 jsonld。")]})
        return exports.export_response(user=request.user, fmt=fmt, base_url=request.build_absolute_uri("/").rstrip("/"))
