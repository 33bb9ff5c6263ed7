from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from protection.signatures.forms import MAX_EVIDENCE
from protection.signatures.models import Certificate, Receipt, SignedDecision


class ReceiptSerializer(serializers.ModelSerializer):
    sealed = serializers.SerializerMethodField()

    class Meta:
        model = Receipt
        fields = [
            "uid",
            "kind",
            "grant_id",
            "mode",
            "requester_id",
            "requester_department_id",
            "provider_department_id",
            "created_at",
            "rows",
            "size",
            "digest",
            "complete",
            "sealed",
        ]

    def get_sealed(self, obj) -> bool:
        return obj.root_id is not None


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SignedDecision
        fields = [
            "uid",
            "kind",
            "application_id",
            "grant_id",
            "department_id",
            "requester_department_id",
            "decided_at",
            "statement",
            "signature",
        ]


class CertificateSerializer(serializers.ModelSerializer):
    algorithm = serializers.CharField(source="key.algorithm")
    owner = serializers.CharField(source="key.owner")

    class Meta:
        model = Certificate
        fields = [
            "id",
            "serial",
            "subject",
            "owner",
            "algorithm",
            "not_before",
            "not_after",
            "revoked_at",
            "revocation_reason",
            "body",
            "signature",
        ]


class IssueSerializer(serializers.Serializer):
    department = serializers.IntegerField(required=False, allow_null=True, help_text=_("部门ID；不填为平台签名证书"))
    days = serializers.IntegerField(min_value=1, max_value=3650, help_text=_("有效天数"))


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class VerifyRequestSerializer(serializers.Serializer):
    evidence = serializers.FileField(help_text=_("证据包（ZIP）"))
    delivered = serializers.FileField(required=False, help_text=_("收到的数据文件（可选）"))

    def validate_evidence(self, value):
        if value.size > MAX_EVIDENCE:
            raise serializers.ValidationError(_("证据包不能超过 5 MB。"))
        return value


class CheckSerializer(serializers.Serializer):
    check = serializers.CharField()
    passed = serializers.BooleanField()
    detail = serializers.CharField()


class VerifyResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    status = serializers.CharField()
    message = serializers.CharField()
    checks = CheckSerializer(many=True)
    receipt = serializers.DictField(allow_null=True)
