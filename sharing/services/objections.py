"""Objections to received data (docs/features.md S7).

Lhasa art. 23, Hechi (second document) art. 30: a user department that doubts shared data, or
finds it plainly wrong, asks the provider for a re-check; the provider checks within 5 working
days (setting) and confirms or corrects. The deadline has the same timers as reviews.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from portal.errors import DomainError, PermissionDeniedError
from portal.models import User
from portal.permissions import can
from portal.services.notifications import notify
from sharing import conf
from sharing.models import Grant, Objection
from sharing.services import deadlines, people
from sharing.transitions import check, move, save


@transaction.atomic
def objection_raise(*, actor: User, grant: Grant, rows: str, items: list[str], reason: str) -> Objection:
    """The holder department disputes rows and items of the data it received under a grant."""
    grant = Grant.objects.select_related("entry", "provider_department", "holder_department").get(pk=grant.pk)
    if not can(actor, "sharing.apply_for_data") or actor.department_id != grant.holder_department_id:
        raise PermissionDeniedError(_("只有获得授权的部门可以对该数据提出异议。"))
    errors: dict[str, list[str]] = {}
    if not (rows or "").strip():
        errors["rows"] = [_("请写明有异议的记录（如身份证号、统一社会信用代码或行号）。")]
    items = list(dict.fromkeys(items or []))
    if not items:
        errors["items"] = [_("请选择有异议的信息项。")]
    elif set(items) - set(grant.items):
        errors["items"] = [_("只能对授权范围内的信息项提出异议。")]
    if not (reason or "").strip():
        errors["reason"] = [_("请说明异议理由。")]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], code="invalid_objection", errors=errors)
    now = timezone.now()
    objection = Objection.objects.create(
        grant=grant,
        entry=grant.entry,
        provider_department=grant.provider_department,
        user_department=grant.holder_department,
        raised_by=actor,
        rows=rows.strip()[:5000],
        items=items,
        reason=reason.strip()[:5000],
        raised_at=now,
    )
    deadline = deadlines.deadline_open(
        subject=objection,
        department=grant.provider_department,
        days=conf.objection_working_days(on=timezone.localdate(now)),
        received_at=now,
    )
    record("sharing.objection.raise", actor=actor, target=objection, detail={"grant": grant.pk, "items": items})
    notify(
        users=people.officers(grant.provider_department),
        kind="sharing.objection",
        key=f"sharing.objection.raised:{objection.pk}",
        title=_("数据异议待核查：%(d)s 对「%(c)s」") % {"d": grant.holder_department.name, "c": grant.entry.code},
        body=_("请在 %(d)s 前核查并确认或更正。") % {"d": timezone.localtime(deadline.due_at).strftime("%Y-%m-%d")},
        url=people.url("objection", objection.pk),
    )
    return objection


@transaction.atomic
def objection_answer(*, actor: User, objection: Objection, corrected: bool, answer: str) -> Objection:
    """The provider confirms the data, or states how it corrected it."""
    objection = (
        Objection.objects.select_for_update(of=("self",)).select_related("entry", "raised_by").get(pk=objection.pk)
    )
    if not can(actor, "portal.review_share_requests", objection.provider_department):
        raise PermissionDeniedError(_("只有提供部门的数据管理员可以答复异议。"))
    action = "correct" if corrected else "confirm"
    check(objection, action)
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("请写明核查结果。"), code="answer_required", errors={"answer": [_("请写明核查结果。")]})
    move(objection, action)
    now = timezone.now()
    objection.answered_at, objection.answered_by, objection.answer = now, actor, answer[:5000]
    save(objection, ["answered_at", "answered_by", "answer"])
    deadlines.deadline_close(subject=objection, now=now)
    record(f"sharing.objection.{action}", actor=actor, target=objection, detail={"answer": answer[:500]})
    notify(
        users=[objection.raised_by],
        kind="sharing.objection",
        key=f"sharing.objection.answered:{objection.pk}",
        title=_("数据异议已答复（%(s)s）：%(c)s") % {"s": objection.get_status_display(), "c": objection.entry.code},
        body=answer[:500],
        url=people.url("objection", objection.pk),
    )
    return objection
