"""The audit chain checked against the heads the platform signed (seed 004 抗抵赖; audit's head hook).

Whoever can write the database can rebuild the audit chain consistently, but not sign its new head:
verify_audit (through audit.services.head_signers.checks()) compares the chain with the signed heads —
the head of each day's export and the latest one — and reports a head whose signature does not
check or whose block differs from the chain's, and a chain older than two days with no signed head
at all (the signed heads were deleted).
"""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditBlock
from protection.signatures import verifier
from protection.signatures.models import Receipt
from protection.signatures.services import evidence, keys


def _checked_leaves() -> list[Receipt]:
    leaves = Receipt.objects.filter(kind=Receipt.Kind.AUDIT_HEAD, root__isnull=False).select_related(
        "root__certificate__issuer"
    )
    daily = [leaf for leaf in leaves.filter(body__contains='"day":"') if json.loads(leaf.body).get("day")]
    latest = leaves.order_by("-created_at", "-uid").first()
    return daily + ([latest] if latest is not None and latest not in daily else [])


def check_audit_heads() -> list[str]:
    problems: list[str] = []
    leaves = _checked_leaves()
    if not leaves:
        stale = timezone.now() - dt.timedelta(days=2)
        if AuditBlock.objects.filter(sealed_at__lt=stale).exists():
            problems.append(_("没有平台签名的审计链头：签名的链头可能已被删除，无法确认整条链未被重写。"))
        return problems
    numbers = {json.loads(leaf.body)["block"] for leaf in leaves}
    stored = dict(AuditBlock.objects.filter(number__in=numbers).values_list("number", "block_hash"))
    for leaf in leaves:
        head = json.loads(leaf.body)
        signed = leaf.root
        assert signed is not None  # _checked_leaves() reads sealed leaves only
        cert = signed.certificate
        root = cert.issuer or cert
        report = verifier.verify_evidence(
            evidence.receipt_evidence(leaf),
            trusted_ca=keys.part(root),
            at=signed.signed_at,
        )
        if not report.valid:
            problems.append(
                _("区块 %(number)s 的签名链头无法校验：%(reason)s")
                % {"number": head["block"], "reason": _(report.message)}
            )
        elif head["block"] not in stored:
            problems.append(_("平台签名的区块 %(number)s 已不存在（链被截断）。") % {"number": head["block"]})
        elif stored[head["block"]] != head["hash"]:
            problems.append(_("区块 %(number)s 与平台签名的链头不符（链被重写）。") % {"number": head["block"]})
    return problems
