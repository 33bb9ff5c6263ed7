"""Coordination requests for not-shared data (docs/features.md S3).

Lhasa art. 19 ¶3: data that is not shared, or whose conditions the applicant cannot meet but
needs for its duties, is negotiated between the two departments; if that fails, the bureau takes
it to the city's informatisation leading group. The provider answers within the review deadline
(setting); unanswered, the request is escalated to the bureau by the deadline sweep; declined, the
applicant may escalate it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from catalog import selectors as catalog_selectors
from catalog.models import ResourceEntry, ShareType
from portal.errors import DomainError, NotFoundError, PermissionDeniedError
from portal.permissions import can, require
from portal.services.notifications import notify
from sharing import conf
from sharing.models import Coordination
from sharing.services import deadlines, people
from sharing.transitions import check, move, save


def _required(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, code=f"{field}_required", errors={field: [message]})
    return text[:5000]


@transaction.atomic
def coordination_open(*, actor, entry: ResourceEntry, need: str) -> Coordination:
    """A department asks the provider for not-shared data it needs for its duties."""
    require(actor, "sharing.apply_for_data")
    if actor.department is None:
        raise PermissionDeniedError(_("只有部门用户可以发起协调申请。"))
    visible = catalog_selectors.entry_for(actor, entry.pk)
    if visible is None:
        raise NotFoundError(_("只能对已发布的资源发起协调申请。"))
    entry = visible
    if entry.published_version is not None and entry.is_withdrawn:
        raise DomainError(
            _("该资源已撤销，不能再发起协调申请（撤销原因：%(r)s）。") % {"r": entry.withdrawal_reason},
            code="entry_withdrawn",
        )
    if entry.published_version is None:
        raise NotFoundError(_("只能对已发布的资源发起协调申请。"))
    if entry.department_id == actor.department_id:
        raise DomainError(_("本部门的资源无需协调。"), code="own_data")
    if entry.published_version.share_type != ShareType.NOT_SHARED:
        raise DomainError(_("该资源可以申请共享，请直接提交共享申请。"), code="shareable")
    need = _required(need, "need", _("请写明所需数据和履职依据。"))
    if Coordination.objects.filter(
        entry=entry,
        applicant_department=actor.department,
        status__in=[Coordination.Status.OPEN, Coordination.Status.ESCALATED],
    ).exists():
        raise DomainError(_("本部门对该资源的协调申请正在办理中。"), code="duplicate")
    now = timezone.now()
    coordination = Coordination.objects.create(
        entry=entry,
        provider_department=entry.department,
        applicant=actor,
        applicant_department=actor.department,
        need=need,
        opened_at=now,
    )
    deadline = deadlines.deadline_open(
        subject=coordination, department=entry.department, days=conf.review_working_days(), received_at=now
    )
    record("sharing.coordination.open", actor=actor, target=coordination, detail={"entry": entry.pk})
    notify(
        users=people.officers(entry.department),
        kind="sharing.coordination",
        key=f"sharing.coordination.opened:{coordination.pk}",
        title=_("协调申请待答复：%(d)s 需要「%(c)s」") % {"d": actor.department.name, "c": entry.code},
        body=_("请在 %(d)s 前答复。") % {"d": timezone.localtime(deadline.due_at).strftime("%Y-%m-%d")},
        url=people.url("coordination", coordination.pk),
    )
    return coordination


def _locked(coordination: Coordination) -> Coordination:
    return (
        Coordination.objects.select_for_update(of=("self",))
        .select_related("entry", "applicant", "provider_department", "applicant_department")
        .get(pk=coordination.pk)
    )


@transaction.atomic
def coordination_answer(*, actor, coordination: Coordination, agreed: bool, answer: str) -> Coordination:
    """The provider agrees (stating how the data will be provided) or declines with its reasons."""
    coordination = _locked(coordination)
    if not can(actor, "portal.review_share_requests", coordination.provider_department):
        raise PermissionDeniedError(_("只有提供部门的数据管理员可以答复协调申请。"))
    action = "agree" if agreed else "decline"
    check(coordination, action)
    answer = _required(answer, "answer", _("请写明答复意见。"))
    return _answer(coordination, actor=actor, action=action, answer=answer)


def _answer(coordination: Coordination, *, actor, action: str, answer: str, detail: dict | None = None):
    move(coordination, action)
    now = timezone.now()
    coordination.answered_at, coordination.answered_by, coordination.answer = now, actor, answer
    save(coordination, ["answered_at", "answered_by", "answer"])
    deadlines.deadline_close(subject=coordination, now=now)
    record(
        f"sharing.coordination.{action}",
        actor=actor,
        target=coordination,
        detail={"answer": answer[:500], **(detail or {})},
    )
    notify(
        users=[coordination.applicant],
        kind="sharing.coordination",
        key=f"sharing.coordination.answered:{coordination.pk}",
        title=_("协调申请已答复（%(s)s）：%(c)s")
        % {"s": coordination.get_status_display(), "c": coordination.entry.code},
        body=answer[:500],
        url=people.url("coordination", coordination.pk),
    )
    return coordination


@transaction.atomic
def coordination_escalate(*, actor, coordination: Coordination) -> Coordination:
    """Negotiation failed: the applicant department asks the bureau to coordinate."""
    coordination = _locked(coordination)
    if actor.department_id != coordination.applicant_department_id or not can(actor, "sharing.apply_for_data"):
        raise PermissionDeniedError(_("只有申请部门可以提请大数据局协调。"))
    check(coordination, "escalate")
    if coordination.entry.is_withdrawn:
        raise DomainError(_("该资源已撤销，协调申请不能再提请大数据局协调。"), code="entry_withdrawn")
    move(coordination, "escalate")
    coordination.escalated_at = timezone.now()
    save(coordination, ["escalated_at"])
    record("sharing.coordination.escalate", actor=actor, target=coordination, detail={"by": "applicant"})
    notify(
        users=people.bureau_reviewers(),
        kind="sharing.escalated",
        key=f"sharing.coordination.escalated:{coordination.pk}",
        title=_("协调申请提请大数据局协调：%(d)s 需要「%(c)s」")
        % {"d": coordination.applicant_department.name, "c": coordination.entry.code},
        url=people.url("coordination", coordination.pk),
    )
    return coordination


@transaction.atomic
def coordination_conclude(*, actor, coordination: Coordination, conclusion: str) -> Coordination:
    """The bureau records the outcome of its coordination (or of the leading group's)."""
    coordination = _locked(coordination)
    require(actor, "sharing.rule_escalated")
    check(coordination, "conclude")
    conclusion = _required(conclusion, "conclusion", _("请写明协调结果。"))
    return _conclude(coordination, actor=actor, conclusion=conclusion)


def _conclude(coordination: Coordination, *, actor, conclusion: str, detail: dict | None = None) -> Coordination:
    move(coordination, "conclude")
    now = timezone.now()
    coordination.concluded_at, coordination.concluded_by = now, actor
    coordination.conclusion = conclusion
    save(coordination, ["concluded_at", "concluded_by", "conclusion"])
    record(
        "sharing.coordination.conclude",
        actor=actor,
        target=coordination,
        detail={"conclusion": conclusion[:500], **(detail or {})},
    )
    notify(
        users=[coordination.applicant] + people.officers(coordination.provider_department),
        kind="sharing.coordination",
        key=f"sharing.coordination.concluded:{coordination.pk}",
        title=_("协调申请已办结：%(c)s") % {"c": coordination.entry.code},
        body=conclusion[:500],
        url=people.url("coordination", coordination.pk),
    )
    return coordination


def close_for_withdrawn_entry(*, actor, entry, reason: str) -> list[Coordination]:
    """The provider withdrew the entry: a request still waiting for the provider is answered as
    declined (协商未果) with that reason, one the bureau is coordinating is concluded with it; their
    deadlines are closed and the applicant is told. A declined request can no longer be escalated
    (coordination_escalate). Runs inside the withdrawal's transaction (catalog.withdrawal); the
    withdrawal was the permission check."""
    note = _("资源目录已撤销：%(r)s") % {"r": reason}
    detail = {"cause": "catalog.entry.withdraw"}
    waiting = list(
        Coordination.objects.select_for_update(of=("self",))
        .select_related("entry", "applicant", "provider_department", "applicant_department")
        .filter(entry=entry, status__in=[Coordination.Status.OPEN, Coordination.Status.ESCALATED])
        .order_by("pk")
    )
    closed = []
    for coordination in waiting:
        if coordination.status == Coordination.Status.OPEN:
            closed.append(_answer(coordination, actor=actor, action="decline", answer=note, detail=detail))
        else:
            closed.append(_conclude(coordination, actor=actor, conclusion=note, detail=detail))
            # escalated by the sweep, its deadline is still open: nothing is owed on it any more
            assert coordination.concluded_at is not None  # _conclude() stamped it
            deadlines.deadline_close(subject=coordination, now=coordination.concluded_at)
    return closed
