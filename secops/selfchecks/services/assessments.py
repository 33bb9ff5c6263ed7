"""Risk assessments (风险评估, Tongren art. 15(七), Sixian art. 36 定期开展风险评估): the bureau records
each year's assessment and the self-check findings it weighed."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record
from portal.errors import DomainError
from portal.permissions import require
from secops.selfchecks.models import Finding, RiskAssessment

ADD, CHANGE = "selfchecks.add_riskassessment", "selfchecks.change_riskassessment"
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _clean(year, title, scope, method, conclusion, finding_ids) -> list[Finding]:
    errors: dict[str, list[str]] = {}
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = [_("年度须在 %(a)s 至 %(b)s 之间。") % {"a": FIRST_YEAR, "b": LAST_YEAR}]
    for name, value in (("title", title), ("scope", scope), ("method", method), ("conclusion", conclusion)):
        if not (value or "").strip():
            errors[name] = [_("此项不能为空。")]
    if title and len(title) > 200:
        errors["title"] = [_("标题不能超过 200 个字符。")]
    ids = list(dict.fromkeys(finding_ids or ()))
    findings = list(Finding.objects.filter(pk__in=ids))
    if len(findings) != len(ids):
        errors["findings"] = [_("关联的自查发现不存在。")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, code="invalid_assessment", errors=errors)
    return findings


def assessment_create(
    *, actor, year: int, title: str, scope: str, method: str, conclusion: str, finding_ids=()
) -> RiskAssessment:
    """Tongren art. 15(七): the bureau records the year's risk assessment."""
    require(actor, ADD)
    findings = _clean(year, title, scope, method, conclusion, finding_ids)
    with transaction.atomic():
        assessment = RiskAssessment.objects.create(
            year=year, title=title.strip(), scope=scope, method=method, conclusion=conclusion, created_by=actor
        )
        assessment.findings.set(findings)
        record(
            "selfchecks.assessment.create",
            actor=actor,
            target=assessment,
            detail={"year": year, "findings": [f.pk for f in findings]},
        )
    return assessment


def assessment_update(
    *,
    actor,
    assessment: RiskAssessment,
    year: int,
    title: str,
    scope: str,
    method: str,
    conclusion: str,
    finding_ids=(),
) -> RiskAssessment:
    require(actor, CHANGE)
    findings = _clean(year, title, scope, method, conclusion, finding_ids)
    with transaction.atomic():
        assessment = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
        assessment.year, assessment.title = year, title.strip()
        assessment.scope, assessment.method, assessment.conclusion = scope, method, conclusion
        assessment.save()
        assessment.findings.set(findings)
        record(
            "selfchecks.assessment.update",
            actor=actor,
            target=assessment,
            detail={"year": year, "findings": [f.pk for f in findings]},
        )
    return assessment
