"""The signatures API: receipts and their evidence, signed decisions, the verifier, key records."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.errors import DomainError, PermissionDeniedError
from portal.models import Department
from portal.permissions import can
from portal.visibility import visible_or_404
from protection.signatures import selectors, verifier
from protection.signatures.api import serializers as s
from protection.signatures.models import Certificate
from protection.signatures.services import evidence, keys

ZIP = {(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description=_("证据包（ZIP）"))}


def _zip(blob: bytes, name: str) -> HttpResponse:
    response = HttpResponse(blob, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ReceiptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Delivery receipts the caller's department requested or provided (all, for the bureau and auditors)."""

    serializer_class = s.ReceiptSerializer
    lookup_field = "uid"
    filterset_fields = ["grant_id", "mode", "kind"]

    def get_queryset(self):
        return selectors.receipts_visible_to(self.request.user).order_by("-created_at", "-uid")

    def get_object(self):
        return visible_or_404(self.get_queryset(), uid=self.kwargs["uid"])

    @extend_schema(responses=ZIP)
    @action(detail=True, methods=["get"])
    def evidence(self, request, uid=None):
        receipt = self.get_object()
        return _zip(evidence.receipt_package(actor=request.user, receipt=receipt), f"receipt-{receipt.uid}.zip")


class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Signed approvals, refusals and revocations of the caller's department's applications and grants."""

    serializer_class = s.DecisionSerializer
    lookup_field = "uid"
    filterset_fields = ["grant_id", "application_id", "kind"]

    def get_queryset(self):
        return selectors.decisions_visible_to(self.request.user).order_by("-decided_at", "-uid")

    def get_object(self):
        return visible_or_404(self.get_queryset(), uid=self.kwargs["uid"])

    @extend_schema(responses=ZIP)
    @action(detail=True, methods=["get"])
    def evidence(self, request, uid=None):
        decision = self.get_object()
        return _zip(evidence.decision_package(actor=request.user, decision=decision), f"decision-{decision.uid}.zip")


class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Key records the platform issued (bureau admin, auditors); the admin revokes them."""

    serializer_class = s.CertificateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Certificate.objects.none()
        if not can(self.request.user, "signatures.view_certificate"):
            raise PermissionDeniedError(_("只有大数据局管理员和审计员可以查看证书。"))
        return Certificate.objects.select_related("key").order_by("-not_before", "-id")

    @extend_schema(request=s.IssueSerializer, responses={201: s.CertificateSerializer})
    @action(detail=False, methods=["post"])
    def issue(self, request):
        data = s.IssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        department = None
        if data.validated_data.get("department") is not None:
            department = Department.objects.filter(pk=data.validated_data["department"]).first()
            if department is None:
                raise DomainError(_("没有该部门。"), code="invalid_input", errors={"department": [_("没有该部门。")]})
        cert = keys.issue_by_admin(actor=request.user, department=department, days=data.validated_data["days"])
        return Response(s.CertificateSerializer(cert).data, status=201)

    @extend_schema(request=s.RevokeSerializer, responses={200: s.CertificateSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        cert = self.get_object()
        data = s.RevokeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cert = keys.revoke_certificate(actor=request.user, certificate=cert, reason=data.validated_data["reason"])
        return Response(s.CertificateSerializer(cert).data)


class RootCertificateView(APIView):
    """The platform's root key record: the trust anchor for offline verification."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(keys.part(keys.root_certificate()))


class VerifyView(APIView):
    """Check an evidence package (and, if given, the delivered data) against this platform's keys."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": s.VerifyRequestSerializer}, responses={200: s.VerifyResultSerializer}
    )
    def post(self, request):
        data = s.VerifyRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data.get("delivered")
        report = evidence.verify_upload(
            blob=data.validated_data["evidence"].read(), data=given.read() if given else None
        )
        answer = report.as_dict()
        answer["message"] = _(verifier.MESSAGES[report.status])
        return Response(answer)
