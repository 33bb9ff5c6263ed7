"""REST API of data sharing: the same services and selectors as the pages.

Grant use is called with the user's token (Authorization: Token <key>, from /api/auth/token/);
the grant must belong to the user's department. Every refusal of a use is recorded as denied with
the grant as its object, and answered as JSON with a Chinese message and a code:
- 404 `not_found` only for a grant id that does not exist;
- 403 for a use outside the grant: `not_holder` (the grant is another department's, SECURITY.md 22.3),
  `expired`, `revoked`, `renewed`, `withdrawn`, `wrong_mode`, `item_not_granted`;
- 400 for input the mode does not accept: `masked_filter`, `masked_filter_in_url` (SECURITY.md 14.14:
  filters on masked items travel in a POST body, never in the URL), `population_too_small`;
- 429 with Retry-After (SECURITY.md 14.6): `throttled` (per user and per grant rate limits), `quota_calls`,
  `quota_rows` (the grant's daily quotas), `compare_record_quota`.
Query, statistics and pull accept their parameters in the query string (GET) or in a JSON body (POST).
"""

import math

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import selectors as catalog_selectors
from portal.errors import PermissionDeniedError
from portal.permissions import can
from portal.visibility import visible_or_404
from sharing import selectors
from sharing.api import serializers as s
from sharing.models import Application, Mode
from sharing.services import applications, coordination, grade_rules, grants, objections, scenarios, use
from sharing.services.refusals import QuotaExceededError
from sharing.throttles import THROTTLES

RESERVED = {"page", "page_size", "order_by", "items", "format", "output"}


def _int(value, name):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise serializers.ValidationError({name: [_("必须是整数。")]}) from None


def _keys(text: str) -> list[str]:
    return [k for k in (text or "").replace(",", " ").split() if k]


class _VisibleViewSet(viewsets.GenericViewSet):
    def get_object(self):
        return visible_or_404(self.get_queryset(), pk=_int(self.kwargs["pk"], "id"))  # SECURITY.md 14.4


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _VisibleViewSet):
    """Share applications (S1-S3): apply, review (approve narrowed / refuse), cancel."""

    serializer_class = s.ApplicationSerializer
    filterset_fields = ["status", "mode", "review_by"]

    def get_queryset(self):
        return selectors.applications_visible_to(self.request.user).order_by("-submitted_at", "-id")

    def _answer(self, application, code=status.HTTP_200_OK):
        fresh = Application.objects.select_related("deadline", "grant").get(pk=application.pk)
        return Response(s.ApplicationSerializer(fresh).data, status=code)

    @extend_schema(request=s.ApplicationCreateSerializer, responses={201: s.ApplicationSerializer})
    def create(self, request):
        data = s.ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        entry = catalog_selectors.entry_by_pk(v["entry"])
        if entry is None:
            raise serializers.ValidationError({"entry": [_("资源不存在。")]})
        renews = None
        if v.get("renews"):
            renews = selectors.grants_held_by(request.user).filter(pk=v["renews"]).first()
            if renews is None:
                raise serializers.ValidationError({"renews": [_("本部门没有该授权。")]})
        application = applications.application_submit(
            actor=request.user,
            entry=entry,
            purpose=v["purpose"],
            items=v.get("items"),
            mode=v.get("mode"),
            end_date=v.get("end_date"),
            scenario_text=v["scenario_text"],
            unmask_requested=v["unmask_requested"],
            renews=renews,
        )
        return self._answer(application, status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.ApplicationSerializer(many=True)}, filters=False)  # the queue takes no filters
    @action(detail=False, methods=["get"], url_path="review-queue")
    def review_queue(self, request):
        """Applications waiting for the caller's decision, most urgent first."""
        page = self.paginate_queryset(selectors.review_queue(request.user))
        return self.get_paginated_response(s.ApplicationSerializer(page, many=True).data)

    @extend_schema(request=s.ApproveSerializer, responses={200: s.ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        application = self.get_object()
        data = s.ApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        applications.application_approve(
            actor=request.user,
            application=application,
            items=v.get("items"),
            mode=v.get("mode"),
            end_date=v.get("end_date"),
            unmasked_items=v["unmasked_items"],
            note=v["note"],
            daily_call_quota=v["daily_call_quota"],
            daily_row_quota=v["daily_row_quota"],
        )
        return self._answer(application)

    @extend_schema(request=s.ShareReasonSerializer, responses={200: s.ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        application = self.get_object()
        data = s.ShareReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        applications.application_refuse(
            actor=request.user, application=application, reason=data.validated_data["reason"]
        )
        return self._answer(application)

    @extend_schema(request=s.CoApprovalSerializer, responses={200: s.ApplicationSerializer})
    @action(detail=True, methods=["post"], url_path="co-approve")
    def co_approve(self, request, pk=None):
        """The bureau's co-approval (会签) of a conditional share of 高度敏感 or 重要数据 (docs/grading.md)."""
        application = self.get_object()
        data = s.CoApprovalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grade_rules.application_co_approve(
            actor=request.user, application=application, note=data.validated_data["note"]
        )
        return self._answer(application)

    @extend_schema(request=None, responses={200: s.ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        application = self.get_object()
        applications.application_cancel(actor=request.user, application=application)
        return self._answer(application)


def _filters(request) -> dict:
    return {k: v for k, v in request.query_params.items() if k not in RESERVED}


def _key_list(value, name) -> list[str]:
    """A list of item keys: "a,b" or "a b" in a query string, a list or such a string in a JSON body."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return _keys(value)
    if isinstance(value, list) and all(isinstance(k, str) for k in value):
        return [k for k in value if k]
    raise serializers.ValidationError({name: [_("必须是信息项代码的列表。")]})


PULLED = {
    (200, "text/csv"): OpenApiTypes.BINARY,
    (200, "application/json"): {"type": "array", "items": {"type": "object"}},
}
ITEM_FILTER = OpenApiParameter(
    "<item>",
    str,
    description=_("按授权的信息项筛选（等值），如 ?district=东城区；脱敏信息项的筛选值请用 POST 请求体提交"),
)


class GrantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _VisibleViewSet):
    """Grants (S5) and their use, exactly in the granted mode and items."""

    serializer_class = s.GrantSerializer
    filterset_fields = ["status", "mode"]

    def get_queryset(self):
        side = self.request.query_params.get("side", "")
        if side == "held":
            return selectors.grants_held_by(self.request.user)
        if side == "provided":
            return selectors.grants_provided_by(self.request.user)
        return selectors.grants_visible_to(self.request.user).order_by("-granted_at", "-id")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "side",
                str,
                description=_("held：本部门持有的授权；provided：本部门提供的授权；省略或其他值：可见的全部授权"),
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def throttled(self, request, wait):
        wait = max(1, math.ceil(wait or 1))
        raise QuotaExceededError(
            _("请求过于频繁，请 %(n)d 秒后再试。") % {"n": wait}, code="throttled", retry_after=wait
        )

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, QuotaExceededError):
            response["Retry-After"] = str(exc.retry_after)
        return response

    def _grant_to_use(self, mode: str):
        """The grant in the URL if the caller's department holds it, before any input is read: 404 for an
        id that does not exist, 403 not_holder (recorded) for another department's (SECURITY.md 22.3). Id and
        relations only: the use service reads it again inside its transaction, locked."""
        return use.grant_for_use(
            actor=self.request.user, grant_id=_int(self.kwargs["pk"], "id"), mode=mode, channel="api"
        )

    def _params(self) -> tuple[dict, dict, bool]:
        """(parameters, filters, in_url): a JSON body's {"filters": {...}, ...} for POST, else the query string."""
        if self.request.method == "POST":
            data = s.GrantUseRequestSerializer(data=self.request.data)
            data.is_valid(raise_exception=True)
            params = dict(data.validated_data)
            return params, dict(params.pop("filters", {}) or {}), False
        params = self.request.query_params
        return (
            {k: params.get(k) for k in params if k in RESERVED | {"group_by", "measures"}},
            {k: v for k, v in _filters(self.request).items() if k not in ("group_by", "measures")},
            True,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("items", str, description=_("逗号分隔的信息项（默认全部授权项）")),
            OpenApiParameter("order_by", str, description=_("排序信息项，前加 - 为降序")),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
            ITEM_FILTER,
        ],
        responses={200: s.GrantQueryResultSerializer},
        methods=["GET"],
    )
    # a POST reads its body only: the query string's parameters are GET's
    @extend_schema(request=s.GrantUseRequestSerializer, responses={200: s.GrantQueryResultSerializer}, methods=["POST"])
    @action(detail=True, methods=["get", "post"], throttle_classes=THROTTLES)
    def query(self, request, pk=None):
        """查阅: rows of the granted items, filtered by equality, paginated."""
        grant = self._grant_to_use(Mode.QUERY)
        params, filters, in_url = self._params()
        result = use.grant_query(
            actor=request.user,
            grant=grant,
            items=_key_list(params.get("items"), "items") or None,
            filters=filters,
            order_by=params.get("order_by") or None,
            page=_int(params.get("page") or 1, "page"),
            page_size=_int(params.get("page_size") or 50, "page_size"),
            channel="api",
            filters_in_url=in_url,
        )
        return Response(result)

    @extend_schema(request=s.ShareReasonSerializer, responses={200: s.GrantSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        grant = self.get_object()
        data = s.ShareReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grant = grants.grant_revoke(actor=request.user, grant=grant, reason=data.validated_data["reason"])
        return Response(s.GrantSerializer(grant).data)

    @extend_schema(request=s.GrantCompareRequestSerializer, responses={200: s.GrantCompareResultSerializer})
    @action(detail=True, methods=["post"], throttle_classes=THROTTLES)
    def compare(self, request, pk=None):
        """比对: match / no match per item for the record with the key (values travel in the body,
        never in the URL)."""
        grant = self._grant_to_use(Mode.COMPARE)
        data = s.GrantCompareRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        return Response(
            use.grant_compare(
                actor=request.user,
                grant=grant,
                key=v["key"],
                key_value=v["key_value"],
                values=dict(v["values"]),
                channel="api",
            )
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("group_by", str, description=_("逗号分隔的分组信息项")),
            OpenApiParameter("measures", str, description=_("逗号分隔，如 sum:amount,avg:amount")),
            ITEM_FILTER,
        ],
        responses={200: s.GrantStatisticsResultSerializer},
        methods=["GET"],
    )
    @extend_schema(
        request=s.GrantUseRequestSerializer, responses={200: s.GrantStatisticsResultSerializer}, methods=["POST"]
    )
    @action(detail=True, methods=["get", "post"], throttle_classes=THROTTLES)
    def statistics(self, request, pk=None):
        """统计: counts (and sums / averages) per group; groups under the threshold are left out, a filtered
        set under the minimum is refused, masked items can be neither grouped, measured nor filtered on."""
        grant = self._grant_to_use(Mode.STATISTICS)
        params, filters, in_url = self._params()
        measures = []
        for text in _key_list(params.get("measures"), "measures"):
            function, _sep, item = text.partition(":")
            if not item:
                raise serializers.ValidationError({"measures": [_("统计指标的格式为 sum:信息项 或 avg:信息项。")]})
            measures.append((function, item))
        return Response(
            use.grant_statistics(
                actor=request.user,
                grant=grant,
                group_by=_key_list(params.get("group_by"), "group_by"),
                measures=measures,
                filters=filters,
                channel="api",
                filters_in_url=in_url,
            )
        )

    @extend_schema(
        parameters=[OpenApiParameter("output", str, enum=["csv", "json"]), OpenApiParameter("items", str), ITEM_FILTER],
        responses=PULLED,
        methods=["GET"],
    )
    @extend_schema(request=s.GrantUseRequestSerializer, responses=PULLED, methods=["POST"])
    @action(detail=True, methods=["get", "post"], throttle_classes=THROTTLES)
    def pull(self, request, pk=None):
        """获取: every row of the granted items, streamed as CSV or as a JSON array."""
        grant = self._grant_to_use(Mode.PULL)
        params, filters, in_url = self._params()
        pull = use.grant_pull(
            actor=request.user,
            grant=grant,
            fmt=params.get("output") or "csv",
            items=_key_list(params.get("items"), "items") or None,
            filters=filters,
            channel="api",
            filters_in_url=in_url,
        )
        response = StreamingHttpResponse(pull.chunks, content_type=pull.content_type)
        response["Content-Disposition"] = f'attachment; filename="{pull.filename}"'
        return response


class ObjectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _VisibleViewSet):
    """Objections to received data (S7): raised by the holder, answered by the provider."""

    serializer_class = s.ObjectionSerializer
    filterset_fields = ["status"]

    def get_queryset(self):
        return selectors.objections_visible_to(self.request.user).order_by("-raised_at", "-id")

    @extend_schema(request=s.ObjectionCreateSerializer, responses={201: s.ObjectionSerializer})
    def create(self, request):
        data = s.ObjectionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        grant = selectors.grants_visible_to(request.user).filter(pk=v["grant"]).first()
        if grant is None:
            raise serializers.ValidationError({"grant": [_("授权不存在。")]})
        objection = objections.objection_raise(
            actor=request.user, grant=grant, rows=v["rows"], items=v["items"], reason=v["reason"]
        )
        return Response(s.ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ObjectionAnswerSerializer, responses={200: s.ObjectionSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        objection = self.get_object()
        data = s.ObjectionAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = objections.objection_answer(
            actor=request.user,
            objection=objection,
            corrected=data.validated_data["outcome"] == "correct",
            answer=data.validated_data["answer"],
        )
        return Response(s.ObjectionSerializer(objection).data)


class CoordinationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _VisibleViewSet):
    """Coordination requests for not-shared data (S3): provider first, then the bureau."""

    serializer_class = s.CoordinationSerializer
    filterset_fields = ["status"]

    def get_queryset(self):
        return selectors.coordinations_visible_to(self.request.user).order_by("-opened_at", "-id")

    @extend_schema(request=s.CoordinationCreateSerializer, responses={201: s.CoordinationSerializer})
    def create(self, request):
        data = s.CoordinationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = catalog_selectors.entry_by_pk(data.validated_data["entry"])
        if entry is None:
            raise serializers.ValidationError({"entry": [_("资源不存在。")]})
        result = coordination.coordination_open(actor=request.user, entry=entry, need=data.validated_data["need"])
        return Response(s.CoordinationSerializer(result).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CoordinationAnswerSerializer, responses={200: s.CoordinationSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        data = s.CoordinationAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = coordination.coordination_answer(
            actor=request.user,
            coordination=self.get_object(),
            agreed=data.validated_data["outcome"] == "agree",
            answer=data.validated_data["answer"],
        )
        return Response(s.CoordinationSerializer(result).data)

    @extend_schema(request=None, responses={200: s.CoordinationSerializer})
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        result = coordination.coordination_escalate(actor=request.user, coordination=self.get_object())
        return Response(s.CoordinationSerializer(result).data)

    @extend_schema(request=s.CoordinationConclusionSerializer, responses={200: s.CoordinationSerializer})
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        data = s.CoordinationConclusionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = coordination.coordination_conclude(
            actor=request.user, coordination=self.get_object(), conclusion=data.validated_data["conclusion"]
        )
        return Response(s.CoordinationSerializer(result).data)


class ScenarioViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _VisibleViewSet):
    """Application scenarios (S6), defined by the bureau admin."""

    serializer_class = s.ScenarioSerializer

    def get_queryset(self):
        return selectors.scenarios_visible_to(self.request.user).order_by("name", "id")

    def _save(self, request, scenario=None, code=status.HTTP_200_OK):
        data = s.ScenarioSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        saved = scenarios.scenario_save(
            actor=request.user,
            scenario=scenario,
            name=v["name"],
            entry=v["entry"],
            items=v["items"],
            modes=v["modes"],
            description=v.get("description", ""),
            departments=list(v.get("departments", [])),
            max_days=v["max_days"],
            is_active=v.get("is_active", True),
        )
        return Response(s.ScenarioSerializer(saved).data, status=code)

    @extend_schema(request=s.ScenarioSerializer, responses={201: s.ScenarioSerializer})
    def create(self, request):
        return self._save(request, code=status.HTTP_201_CREATED)

    @extend_schema(request=s.ScenarioSerializer, responses={200: s.ScenarioSerializer})
    def update(self, request, pk=None):
        return self._save(request, scenario=self.get_object())


class PolicyView(APIView):
    """The bureau's switch: grant unconditional applications at once (Lhasa art. 19)."""

    @extend_schema(responses={200: s.SharingPolicySerializer})
    def get(self, request):
        if not can(request.user, "sharing.view_sharingpolicy"):
            raise PermissionDeniedError()
        return Response({"auto_grant_unconditional": scenarios.policy().auto_grant_unconditional})

    @extend_schema(request=s.SharingPolicySerializer, responses={200: s.SharingPolicySerializer})
    def put(self, request):
        data = s.SharingPolicySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = scenarios.policy_set(
            actor=request.user, auto_grant_unconditional=data.validated_data["auto_grant_unconditional"]
        )
        return Response({"auto_grant_unconditional": row.auto_grant_unconditional})


class UsageViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Usage logs (S8): ?side=provided (who used my department's data), used (my department's own
    use), all (the bureau)."""

    serializer_class = s.GrantUseSerializer
    filterset_fields = ["mode", "outcome", "channel"]

    def get_queryset(self):
        side = self.request.query_params.get("side", "all")
        if side not in ("provided", "used", "all"):
            raise serializers.ValidationError({"side": [_("只能是 provided、used 或 all。")]})
        return selectors.uses_visible_to(self.request.user, side=side)

    @extend_schema(parameters=[OpenApiParameter("side", str, enum=["provided", "used", "all"])])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class OverdueView(APIView):
    """Overdue counts per department and kind of answer, for the evaluation (S4, P3)."""

    @extend_schema(responses={200: s.SharingOverdueRowSerializer(many=True)})
    def get(self, request):
        if not can(request.user, "sharing.view_deadline"):
            raise PermissionDeniedError()
        return Response(s.SharingOverdueRowSerializer(selectors.overdue_counts(), many=True).data)
