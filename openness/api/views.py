"""The open-data REST API (docs/features.md O4, P5): the same services and selectors as the pages.

Public data endpoints (datasets, rows, negative list) need no account; an API key (X-API-Key)
identifies the caller, raises its rate limit and opens the 依申请开放 datasets it was granted.
Every call is audited; calls on a dataset are counted for it. Account endpoints (keys,
applications, publishing) use the portal's session or token sign-in.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import Outcome
from catalog import datastore
from catalog import selectors as catalog_selectors
from openness import selectors
from openness.api import serializers as s
from openness.api.authentication import ApiKeyAuthentication, OpenApiThrottle, RateLimited
from openness.models import Application, Dataset, DatasetVersion, Upload
from openness.services import apikeys, applications, publishing, uploads, usage
from portal.api.schema import file_upload
from portal.errors import PermissionDeniedError
from portal.permissions import can
from portal.visibility import hidden_404, visible_or_404

ROW_PARAMS = {"page", "page_size", "version", "order_by", "format"}


def _int(value, name):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: [_("必须是整数。")]}) from None


# Pages beyond this are refused: the fuzzer's page=1680985177068991488 made an OFFSET beyond PostgreSQL's
# bigint (a 500), and no list here has that many pages.
MAX_PAGE = 100_000


def _page_in_range(page: int) -> None:
    if page > MAX_PAGE:
        raise ValidationError({"page": [_("页码不能超过 %(max)s。") % {"max": MAX_PAGE}]})


class OpenDataView(APIView):
    """Base of the public endpoints: API key or session, rate limited, every call audited."""

    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [OpenApiThrottle]
    endpoint = "open"

    def throttled(self, request, wait):
        raise RateLimited(wait)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        decision = getattr(request, "_open_rate", None)
        if response.status_code == 429 or (decision is None and response.status_code == 401):
            return response  # recorded by the throttle (first refusal) or the authentication
        outcome = (
            Outcome.SUCCESS
            if response.status_code < 400
            else (Outcome.DENIED if response.status_code in (401, 403, 410) else Outcome.FAILURE)
        )
        key = request.auth if hasattr(request.auth, "prefix") else None
        user = request.user if request.user.is_authenticated else None
        usage.api_call(
            actor=user,
            dataset=getattr(self, "audit_dataset", None),
            endpoint=self.endpoint,
            outcome=outcome,
            detail={
                "status": response.status_code,
                "key": key.prefix if key else "",
                "path": request.path[:200],
                "rate_limit_degraded": bool(decision and decision.degraded),
                **getattr(self, "audit_detail", {}),
            },
        )
        return response

    def dataset(self, pk) -> Dataset:
        dataset = selectors.dataset_public(pk)
        if dataset is None:
            raise hidden_404(Dataset, pk)  # SECURITY.md 14.4: a dataset never published is audited when asked for
        self.audit_dataset = dataset
        return dataset


SEARCH_PARAMS = [
    OpenApiParameter("q", str, description="关键词（中文按双字切分检索）"),
    OpenApiParameter("sort", str, enum=list(selectors.SORTS)),
    OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
    OpenApiParameter("page_size", {"type": "integer", "minimum": 1, "maximum": 100}, description="1-100"),
] + [
    OpenApiParameter(f, {"type": "string", "pattern": "^[0-9]*$"} if f == "department" else str)
    for f in selectors.FACETS
]


class DatasetListView(OpenDataView):
    endpoint = "datasets.list"

    @extend_schema(
        operation_id="open_datasets_list",
        parameters=SEARCH_PARAMS,
        responses=inline_serializer(
            "OpenDatasetSearch",
            {
                "count": serializers.IntegerField(),
                "page": serializers.IntegerField(),
                "page_size": serializers.IntegerField(),
                "results": s.OpenDatasetSerializer(many=True),
                "facets": serializers.DictField(),
            },
        ),
    )
    def get(self, request):
        """Search and page through the published datasets, with facets."""
        params = request.query_params
        filters = {f: params.get(f, "").strip()[:60] for f in selectors.FACETS}
        if filters["department"] and not filters["department"].isdigit():
            raise ValidationError({"department": [_("部门必须是编号。")]})
        sort = params.get("sort", "relevance")
        if sort not in selectors.SORTS:
            raise ValidationError({"sort": [_("排序方式无效。")]})
        page, page_size = _int(params.get("page", 1), "page"), _int(params.get("page_size", 20), "page_size")
        if page < 1 or not 1 <= page_size <= 100:
            raise ValidationError({"page_size": [_("页码须为正整数，每页 1 到 100 条。")]})
        _page_in_range(page)
        result = selectors.search_datasets(q=params.get("q", "")[:100], filters=filters, sort=sort)
        datasets = result.datasets[(page - 1) * page_size : page * page_size]
        return Response(
            {
                "count": result.datasets.count(),
                "page": page,
                "page_size": page_size,
                "results": s.OpenDatasetSerializer(datasets, many=True, context={"request": request}).data,
                "facets": {k: [{"value": v, "count": n} for v, n in vals] for k, vals in result.facets.items()},
            }
        )


class DatasetDetailView(OpenDataView):
    endpoint = "datasets.detail"

    @extend_schema(responses=s.OpenDatasetDetailSerializer)
    def get(self, request, pk):
        """A dataset's metadata, items (with their masking), versions and download links."""
        dataset = self.dataset(pk)
        return Response(s.OpenDatasetDetailSerializer(dataset, context={"request": request}).data)


class DatasetRowsView(OpenDataView):
    endpoint = "datasets.rows"

    @extend_schema(
        parameters=[
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int, description="1-1000"),
            OpenApiParameter("version", int, description="版本号，默认当前版本"),
            OpenApiParameter("order_by", str, description="信息项字段，前加 - 为降序"),
            OpenApiParameter("<字段>", str, description="按信息项等值筛选，如 ?company_name=..."),
        ],
        responses=s.OpenRowsSerializer,
    )
    def get(self, request, pk):
        """Page through a dataset's rows (依申请开放 datasets: with an approved application)."""
        dataset = self.dataset(pk)
        params = request.query_params
        version = dataset.published_version
        if params.get("version"):
            version = selectors.version_public(dataset, params["version"])
            if version is None:
                raise Http404
        self.audit_detail = {"version": version.number}
        # SECURITY.md 14.1: the rule is asked about the version served (?version=), not the current one
        problem = usage.read_problem(request.user, version)
        if problem is not None:
            self.audit_detail["reason"] = problem.code
            raise problem
        filters = {k: v for k, v in params.items() if k not in ROW_PARAMS}
        try:
            rows, total = datastore.query_rows(
                version.table_name,
                version.datastore_columns,
                filters=filters,
                order_by=params.get("order_by") or None,
                page=_int(params.get("page", 1), "page"),
                page_size=_int(params.get("page_size", 100), "page_size"),
            )
        except ValueError as exc:
            raise ValidationError({"query": [str(exc)]}) from None
        return Response(
            {
                "count": total,
                "page": _int(params.get("page", 1), "page"),
                "page_size": _int(params.get("page_size", 100), "page_size"),
                "version": version.number,
                "fields": [{"key": c.key, "name": c.name, "type": c.type} for c in version.datastore_columns],
                "rows": rows,
            }
        )


class NegativeListView(OpenDataView):
    endpoint = "negative_list"

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
        ],
        responses=inline_serializer(
            "OpenNegativeList",
            {"count": serializers.IntegerField(), "results": s.OpenNegativeEntrySerializer(many=True)},
        ),
    )
    def get(self, request):
        """The 不予开放 negative list: catalog entries not open to the public, with their basis."""
        page = _int(request.query_params.get("page", 1), "page")
        if page < 1:
            raise ValidationError({"page": [_("页码须为正整数。")]})
        _page_in_range(page)
        entries = selectors.negative_list(q=request.query_params.get("q", "")[:100])
        return Response(
            {
                "count": entries.count(),
                "results": s.OpenNegativeEntrySerializer(entries[(page - 1) * 50 : page * 50], many=True).data,
            }
        )


# ---------------------------------------------------------------------------------------------
# account endpoints: session or token sign-in


class AccountView(APIView):
    """Signed-in callers, with the portal's API sign-in (REST_FRAMEWORK's default authentication)."""

    permission_classes = [IsAuthenticated]


class ApiKeyListView(AccountView):
    @extend_schema(responses=s.OpenApiKeySerializer(many=True))
    def get(self, request):
        """The caller's API keys (secrets are never shown again)."""
        return Response(s.OpenApiKeySerializer(selectors.keys_of(request.user), many=True).data)

    @extend_schema(request=s.OpenNameSerializer, responses={201: s.OpenApiKeyCreatedSerializer})
    def post(self, request):
        """Create a key; its secret is in this answer only."""
        data = s.OpenNameSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key, secret = apikeys.apikey_create(actor=request.user, name=data.validated_data["name"])
        return Response({**s.OpenApiKeySerializer(key).data, "secret": secret}, status=status.HTTP_201_CREATED)


class ApiKeyRevokeView(AccountView):
    @extend_schema(request=None, responses=s.OpenApiKeySerializer)
    def post(self, request, pk):
        """Revoke a key: refused from the next call on."""
        key = visible_or_404(selectors.keys_of(request.user), pk=pk)
        return Response(s.OpenApiKeySerializer(apikeys.apikey_revoke(actor=request.user, key=key)).data)


class ApiKeyRenewView(AccountView):
    @extend_schema(request=None, responses=s.OpenApiKeySerializer)
    def post(self, request, pk):
        """Renew a key (SECURITY.md 14.16): valid for OPEN_DATA_API_KEY_DAYS (365) from now, same secret."""
        key = visible_or_404(selectors.keys_of(request.user), pk=pk)
        return Response(s.OpenApiKeySerializer(apikeys.apikey_renew(actor=request.user, key=key)).data)


class ApplicationListView(AccountView):
    @extend_schema(responses=s.OpenApplicationSerializer(many=True))
    def get(self, request):
        """Applications the caller made, answers or re-reviews."""
        return Response(s.OpenApplicationSerializer(selectors.applications_for(request.user)[:200], many=True).data)

    @extend_schema(request=s.OpenApplicationCreateSerializer, responses={201: s.OpenApplicationSerializer})
    def post(self, request):
        """Apply for a 依申请开放 dataset."""
        data = s.OpenApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dataset = selectors.dataset_public(data.validated_data["dataset"])
        if dataset is None:
            raise ValidationError({"dataset": [_("数据集不存在。")]})
        application = applications.application_submit(
            actor=request.user,
            dataset=dataset,
            purpose=data.validated_data["purpose"],
            intended_use=data.validated_data["intended_use"],
        )
        return Response(s.OpenApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


def _application(request, pk) -> Application:
    return visible_or_404(selectors.applications_for(request.user), pk=pk)


class ApplicationAnswerView(AccountView):
    @extend_schema(request=s.OpenAnswerSerializer, responses=s.OpenApplicationSerializer)
    def post(self, request, pk):
        """The providing department answers (a refusal needs its reasons)."""
        application = _application(request, pk)
        data = s.OpenAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = data.validated_data["answer"]
        if data.validated_data["approve"]:
            application = applications.application_approve(actor=request.user, application=application, answer=answer)
        else:
            application = applications.application_refuse(actor=request.user, application=application, answer=answer)
        return Response(s.OpenApplicationSerializer(application).data)


class ApplicationRereviewView(AccountView):
    @extend_schema(request=s.OpenReasonSerializer, responses=s.OpenApplicationSerializer)
    def post(self, request, pk):
        """The applicant asks the bureau to re-review (after a refusal, or once the answer is overdue)."""
        application = _application(request, pk)
        data = s.OpenReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = applications.application_request_rereview(
            actor=request.user, application=application, reason=data.validated_data["reason"]
        )
        return Response(s.OpenApplicationSerializer(application).data)


class ApplicationRereviewDecideView(AccountView):
    @extend_schema(request=s.OpenRereviewDecisionSerializer, responses=s.OpenApplicationSerializer)
    def post(self, request, pk):
        """The bureau's re-review decision, with its reasons."""
        application = _application(request, pk)
        data = s.OpenAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = applications.application_rereview_decide(
            actor=request.user,
            application=application,
            approve=data.validated_data["approve"],
            comment=data.validated_data["answer"],
        )
        return Response(s.OpenApplicationSerializer(application).data)


class UploadView(AccountView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=file_upload(inline_serializer("OpenUploadFile", {"file": serializers.FileField()}), "data.csv"),
        responses={201: s.OpenUploadSerializer},
    )
    def post(self, request):
        """Upload a CSV or XLSX file to publish (its header names the items, kept as text)."""
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("请选择文件。")]})
        if request.user.department is None:
            raise PermissionDeniedError()
        stored = uploads.upload_create(actor=request.user, department=request.user.department, upload=upload)
        return Response(s.OpenUploadSerializer(stored).data, status=status.HTTP_201_CREATED)


class VersionListView(AccountView):
    parser_classes = [JSONParser]

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=list(DatasetVersion.Status.values))],
        responses=s.OpenVersionSerializer(many=True),
    )
    def get(self, request):
        """Versions the caller may see: the bureau's review queue, or the department's proposals."""
        wanted = request.query_params.get("status", "")
        if can(request.user, publishing.REVIEW):
            qs = DatasetVersion.objects.all()
        else:
            qs = DatasetVersion.objects.filter(dataset__in=selectors.datasets_managed_by(request.user))
        if wanted:
            if wanted not in DatasetVersion.Status.values:
                raise ValidationError({"status": [_("状态无效。")]})
            qs = qs.filter(status=wanted)
        return Response(s.OpenVersionSerializer(qs.order_by("-proposed_at")[:200], many=True).data)

    @extend_schema(request=s.OpenProposalSerializer, responses={201: s.OpenVersionSerializer})
    def post(self, request):
        """Propose a dataset (or its next version): masked rows materialised, masking check, to the bureau."""
        data = s.OpenProposalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        items = [dict(i) for i in values.pop("items")]
        source = {}
        if "entry" in values:
            entry = catalog_selectors.entry_by_pk(values.pop("entry"))
            if entry is None:
                raise ValidationError({"entry": [_("目录资源不存在。")]})
            source["entry"] = entry
        if "upload" in values:
            upload = Upload.objects.filter(pk=values.pop("upload")).first()
            if upload is None:
                raise ValidationError({"upload": [_("上传文件不存在。")]})
            source["upload"] = upload
        if "dataset" in values:
            dataset = selectors.datasets_managed_by(request.user).filter(pk=values.pop("dataset")).first()
            if dataset is None:
                raise ValidationError({"dataset": [_("数据集不存在。")]})
            source["dataset"] = dataset
        version = publishing.version_propose(actor=request.user, metadata=values, items=items, **source)
        return Response(s.OpenVersionSerializer(version).data, status=status.HTTP_201_CREATED)


def _version(request, pk) -> DatasetVersion:
    return visible_or_404(selectors.versions_reviewable_by(request.user), pk=pk)


class VersionApproveView(AccountView):
    @extend_schema(request=s.OpenCommentSerializer, responses=s.OpenVersionSerializer)
    def post(self, request, pk):
        """The bureau approves: the version is published."""
        data = s.OpenCommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = publishing.version_approve(
            actor=request.user, version=_version(request, pk), comment=data.validated_data["comment"]
        )
        return Response(s.OpenVersionSerializer(version).data)


class VersionReturnView(AccountView):
    @extend_schema(request=s.OpenReasonSerializer, responses=s.OpenVersionSerializer)
    def post(self, request, pk):
        """The bureau returns a proposal with its reasons."""
        data = s.OpenReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = publishing.version_return(
            actor=request.user, version=_version(request, pk), reasons=data.validated_data["reason"]
        )
        return Response(s.OpenVersionSerializer(version).data)


class DatasetWithdrawView(AccountView):
    @extend_schema(request=s.OpenReasonSerializer, responses=s.OpenDatasetDetailSerializer)
    def post(self, request, pk):
        """Withdraw a published dataset, with the reason announced publicly."""
        dataset = selectors.dataset_public(pk)
        if dataset is None:
            raise hidden_404(Dataset, pk)
        data = s.OpenReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not (selectors.may_manage(request.user, dataset) or can(request.user, publishing.REVIEW)):
            raise PermissionDenied()
        dataset = publishing.dataset_withdraw(actor=request.user, dataset=dataset, reason=data.validated_data["reason"])
        dataset = selectors.dataset_public(dataset.pk)
        return Response(s.OpenDatasetDetailSerializer(dataset, context={"request": request}).data)
