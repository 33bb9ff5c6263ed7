"""Share applications and their review (docs/features.md S1, S2, S3, S6).

- Lhasa art. 19 ¶1, Sixian art. 27: unconditional data — the department applies to the bureau,
  which grants access without the provider's approval (or at once, if the bureau so configured).
- Lhasa art. 19 ¶2, Hechi (second document) art. 28: conditional data — the provider reviews
  and answers within 5 working days (setting); a refusal needs a reason (Sixian art. 25).
- Lhasa art. 8(3): not-shared data cannot be applied for (see services.coordination instead).
- Lhasa art. 21: an application that fits a scenario is authorised directly.
- Lhasa art. 22: the reviewer may narrow items, mode and end date — the grant is minimal.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from catalog import selectors as catalog_selectors
from catalog.models import ResourceEntry, ShareType
from portal.errors import DomainError, NotFoundError, PermissionDeniedError
from portal.permissions import can, require
from portal.services.notifications import notify
from protection.signatures.services import decisions
from sharing import conf
from sharing.conf import setting
from sharing.models import Application, Grant, Mode
from sharing.services import deadlines, grade_rules, grants, people, scenarios
from sharing.transitions import check, move, save

# A reviewer may grant a mode that gives less than the one asked for, never more.
NARROWER: dict[str, set[str]] = {
    Mode.PULL: {Mode.PULL, Mode.QUERY, Mode.COMPARE, Mode.STATISTICS},
    Mode.QUERY: {Mode.QUERY, Mode.COMPARE, Mode.STATISTICS},
    Mode.COMPARE: {Mode.COMPARE},
    Mode.STATISTICS: {Mode.STATISTICS},
}
PENDING = (Application.Status.SUBMITTED, Application.Status.ESCALATED)
# The largest daily quota an approver may set (the columns are PostgreSQL integers).
MAX_QUOTA = 2_000_000_000


def _invalid(errors: dict) -> DomainError:
    return DomainError(next(iter(errors.values()))[0], code="invalid_application", errors=errors)


def _ordered_keys(version, keys) -> list[str]:
    wanted = set(keys or [])
    return [k for k in version.items.order_by("position").values_list("key", flat=True) if k in wanted]


def _check_request(
    *, version, share_type, purpose, scenario_text, items, mode, end_date, unmask_requested, today: dt.date
) -> dict:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    conditional = share_type == ShareType.CONDITIONAL
    if not (purpose or "").strip():
        add("purpose", _("请说明申请用途（履职需要）。"))
    if conditional and not (scenario_text or "").strip():
        add("scenario_text", _("有条件共享的申请须写明应用场景（泗县办法第二十五条）。"))
    known = set(version.items.values_list("key", flat=True))
    if not items:
        add("items", _("请选择需要的信息项。"))
    elif set(items) - known:
        add("items", _("以下信息项不属于该资源：%(k)s") % {"k": "、".join(sorted(set(items) - known))})
    if mode not in Mode.values:
        add("mode", _("请选择使用方式：查阅、比对、统计或获取。"))
    elif mode not in (version.share_modes or []):
        allowed = "、".join(str(Mode(m).label) for m in version.share_modes or [] if m in Mode.values)
        add("mode", _("该资源的共享条件只允许：%(m)s。") % {"m": allowed or "-"})
    if end_date is None:
        add("end_date", _("请填写使用截止日期。"))
    elif end_date < today:
        add("end_date", _("截止日期不能早于今天。"))
    elif end_date > today + dt.timedelta(days=setting("MAX_GRANT_DAYS")):
        add("end_date", _("授权期限最长 %(n)d 天。") % {"n": setting("MAX_GRANT_DAYS")})
    sensitive = grants.sensitive_keys(version)
    if set(unmask_requested or []) - (set(items or []) & sensitive):
        add("unmask_requested", _("只能对所申请的敏感信息项申请不脱敏。"))
    return errors


def _check_renewal(renews: Grant | None, *, department, entry) -> Grant | None:
    if renews is None:
        return None
    renews = Grant.objects.select_for_update().get(pk=renews.pk)
    if renews.holder_department_id != department.pk or renews.entry_id != entry.pk:
        raise DomainError(_("只能续期本部门对该资源的授权。"), code="invalid_renewal")
    if renews.status not in (Grant.Status.ACTIVE, Grant.Status.EXPIRED):
        raise DomainError(_("已撤销或已续期的授权不能续期，请重新申请。"), code="invalid_renewal")
    if renews.renewal_applications.filter(status__in=PENDING).exists():
        raise DomainError(_("该授权已有续期申请正在审核。"), code="duplicate")
    return renews


def application_submit(
    *,
    actor,
    entry: ResourceEntry,
    purpose: str,
    items: list[str] | None = None,
    mode: str | None = None,
    end_date: dt.date | None = None,
    scenario_text: str = "",
    unmask_requested: list[str] | None = None,
    renews: Grant | None = None,
) -> Application:
    """A department user applies for a published entry of another department.

    Unconditional entries: the items default to all, the mode to 查阅 and the end date to
    DEFAULT_GRANT_DAYS from today; conditional ones must state all of them and the scenario."""
    with transaction.atomic():
        require(actor, "sharing.apply_for_data")
        department = actor.department
        if department is None:
            raise PermissionDeniedError(_("只有部门用户可以申请共享数据。"))
        visible = catalog_selectors.entry_for(actor, entry.pk)
        version = visible.published_version if visible is not None else None
        if visible is None or version is None:
            raise NotFoundError(_("只能申请已发布的资源。"))
        entry = visible
        if entry.is_withdrawn:
            raise DomainError(
                _("该资源已撤销，不能再申请共享（撤销原因：%(r)s）。") % {"r": entry.withdrawal_reason},
                code="entry_withdrawn",
            )
        if version.share_type == ShareType.NOT_SHARED:
            raise DomainError(
                _("不予共享的资源不能申请使用；因履行职责确需使用的，请发起协调申请（拉萨办法第十九条）。"),
                code="not_shared",
            )
        if entry.department_id == department.pk:
            raise DomainError(_("本部门的资源无需申请共享。"), code="own_data")
        now = timezone.now()
        today = timezone.localdate(now)
        unconditional = version.share_type == ShareType.UNCONDITIONAL
        if unconditional:
            items = items or list(version.items.values_list("key", flat=True))
            mode = mode or Mode.QUERY
            end_date = end_date or today + dt.timedelta(
                days=grade_rules.default_days(version, setting("DEFAULT_GRANT_DAYS"))
            )
        known = set(version.items.values_list("key", flat=True))
        items = _ordered_keys(version, items) if not set(items or []) - known else list(items or [])
        errors = _check_request(
            version=version,
            share_type=version.share_type,
            purpose=purpose,
            scenario_text=scenario_text,
            items=items,
            mode=mode,
            end_date=end_date,
            unmask_requested=unmask_requested,
            today=today,
        )
        too_long = grade_rules.end_date_error(version, end_date, today, setting("MAX_GRANT_DAYS"))
        if too_long and "end_date" not in errors:
            errors["end_date"] = [too_long]
        if errors:
            raise _invalid(errors)
        assert mode is not None and end_date is not None  # _check_request() refuses a request without them
        renews = _check_renewal(renews, department=department, entry=entry)
        if (
            Application.objects.filter(
                applicant_department=department, entry=entry, mode=mode, status__in=PENDING, renews__isnull=True
            ).exists()
            and renews is None
        ):
            raise DomainError(_("本部门对该资源同一使用方式的申请正在审核中，请勿重复申请。"), code="duplicate")
        application = Application.objects.create(
            entry=entry,
            entry_version=version,
            share_type=version.share_type,
            provider_department=entry.department,
            applicant=actor,
            applicant_department=department,
            purpose=purpose.strip(),
            scenario_text=(scenario_text or "").strip(),
            items=items,
            mode=mode,
            end_date=end_date,
            unmask_requested=_ordered_keys(version, unmask_requested or []),
            renews=renews,
            review_by=Application.Reviewer.BUREAU if unconditional else Application.Reviewer.PROVIDER,
            submitted_at=now,
        )
        record(
            "sharing.application.submit",
            actor=actor,
            target=application,
            detail={
                "entry": entry.pk,
                "share_type": version.share_type,
                "items": items,
                "mode": mode,
                "end_date": end_date.isoformat(),
                "renews": renews.pk if renews else None,
            },
        )
        # Sixian art. 39: 高度敏感, 重要 and 核心 data are never granted without a person's decision
        automatic = grade_rules.may_grant_automatically(application)
        scenario = scenarios.scenario_for(application) if automatic else None
        if scenario is not None:
            _grant(
                application,
                actor=None,
                items=items,
                mode=mode,
                end_date=end_date,
                unmasked=[],
                now=now,
                note=_("符合应用场景「%(s)s」，依拉萨办法第二十一条直接授权。") % {"s": scenario.name},
                scenario=scenario,
            )
        elif automatic and unconditional and scenarios.policy().auto_grant_unconditional:
            _grant(
                application,
                actor=None,
                items=items,
                mode=mode,
                end_date=end_date,
                unmasked=[],
                now=now,
                note=_("无条件共享，大数据局已开启自动授权（拉萨办法第十九条）。"),
            )
        else:
            _open_review(application, now)
    return application


def _open_review(application: Application, now: dt.datetime) -> None:
    by_bureau = application.review_by == Application.Reviewer.BUREAU
    department = people.bureau_department() if by_bureau else application.provider_department
    deadline = deadlines.deadline_open(
        subject=application,
        department=department,
        # The length in force on the day of receipt (portal.policy): a later change leaves this deadline as counted.
        days=conf.review_working_days(on=timezone.localdate(now)),
        received_at=now,
        by_bureau=by_bureau,
    )
    reviewers = people.bureau_reviewers() if by_bureau else people.officers(application.provider_department)
    notify(
        users=reviewers,
        kind="sharing.application_received",
        key=f"sharing.application.received:{application.pk}",
        title=_("新的共享申请待审核：%(d)s 申请「%(n)s」")
        % {"d": application.applicant_department.name, "n": application.entry_version.name},
        body=_("请在 %(d)s 前办理。") % {"d": timezone.localtime(deadline.due_at).strftime("%Y-%m-%d")},
        url=people.url("application", application.pk),
    )


def _grant(
    application: Application,
    *,
    actor,
    items,
    mode,
    end_date,
    unmasked,
    now,
    note,
    scenario=None,
    daily_call_quota: int | None = None,
    daily_row_quota: int | None = None,
) -> Grant:
    move(application, "approve")
    grant = grants.grant_create(
        application=application,
        items=items,
        mode=mode,
        end_date=end_date,
        unmasked=unmasked,
        now=now,
        daily_call_quota=daily_call_quota,
        daily_row_quota=daily_row_quota,
    )
    application.decided_at, application.decided_by, application.decision_note = now, actor, note
    application.scenario, application.auto_granted = scenario, actor is None
    save(application, ["decided_at", "decided_by", "decision_note", "scenario", "auto_granted"])
    deadlines.deadline_close(subject=application, now=now)
    narrowed = {
        k: v
        for k, v in (
            ("items", items != application.items),
            ("mode", mode != application.mode),
            ("end_date", end_date != application.end_date),
        )
        if v
    }
    record(
        "sharing.application.approve",
        actor=actor,
        target=application,
        detail={
            "grant": grant.pk,
            "items": items,
            "mode": mode,
            "end_date": end_date.isoformat(),
            "unmasked": list(unmasked),
            "narrowed": sorted(narrowed),
            "automatic": "scenario" if scenario else ("policy" if actor is None else None),
            "scenario": scenario.pk if scenario else None,
        },
    )
    decisions.sign_decision(
        actor=actor,
        kind="approval",
        application_id=application.pk,
        grant_id=grant.pk,
        requester_department_id=grant.holder_department_id,
        detail={
            "entry": grant.entry.code,
            "items": list(items),
            "mode": mode,
            "end_date": end_date.isoformat(),
            "unmasked": list(unmasked),
        },
    )
    _tell_applicant(application, _("共享申请已授权：%(n)s") % {"n": application.entry_version.name}, note)
    return grant


def _tell_applicant(application: Application, title: str, body: str = "") -> None:
    notify(
        users=[application.applicant],
        kind="sharing.application_decided",
        key=f"sharing.application.decided:{application.pk}",
        title=title,
        body=body,
        url=people.url("application", application.pk),
    )


def may_decide(user, application: Application) -> bool:
    """Unconditional: a bureau reviewer. Conditional: a data officer of the provider, or — once the
    application was escalated for being overdue — a bureau reviewer in the provider's place."""
    if user.pk == application.applicant_id:  # separation of duties: nobody decides their own request
        return False
    if grade_rules.decides_as_bureau_admin(user, application):
        return True
    if application.review_by == Application.Reviewer.BUREAU:
        return can(user, "sharing.review_unconditional")
    if can(user, "portal.review_share_requests", application.provider_department):
        return True
    return application.escalated_at is not None and can(user, "sharing.rule_escalated")


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("entry", "entry_version", "provider_department", "applicant_department", "applicant")
        .get(pk=application.pk)
    )


def application_approve(
    *,
    actor,
    application: Application,
    items: list[str] | None = None,
    mode: str | None = None,
    end_date: dt.date | None = None,
    unmasked_items: list[str] | None = None,
    note: str = "",
    daily_call_quota: int | None = None,
    daily_row_quota: int | None = None,
) -> Grant:
    """Approve, possibly narrowed: items a subset of those asked, a mode giving no more, an end
    date no later; sensitive items stay masked unless listed in `unmasked_items` (which must
    have been asked for). The approver may bound the daily use (SECURITY.md 14.6: calls and rows a day;
    None is the portal's default)."""
    with transaction.atomic():
        application = _locked(application)
        if not may_decide(actor, application):
            raise PermissionDeniedError(_("您不是该申请的审核人。"))
        check(application, "approve")
        grade_rules.check_grant(actor=actor, application=application)
        items = list(application.items) if items is None else _ordered_keys(application.entry_version, items)
        mode = mode or application.mode
        end_date = end_date or application.end_date
        unmasked = list(unmasked_items or [])
        errors: dict[str, list[str]] = {}
        if not items:
            errors["items"] = [_("请至少批准一个信息项。")]
        elif set(items) - set(application.items):
            errors["items"] = [_("只能批准申请范围内的信息项（最小授权）。")]
        if mode not in NARROWER.get(application.mode, set()) or mode not in (
            application.entry_version.share_modes or []
        ):
            errors["mode"] = [_("批准的使用方式不能超出申请的方式和资源的共享条件。")]
        if end_date > application.end_date:
            errors["end_date"] = [_("批准的截止日期不能晚于申请的截止日期。")]
        elif end_date < timezone.localdate():
            errors["end_date"] = [_("截止日期不能早于今天。")]
        if set(unmasked) - (set(application.unmask_requested) & set(items)):
            errors["unmasked_items"] = [_("只能对申请不脱敏且已批准的信息项取消脱敏。")]
        for name, value in (("daily_call_quota", daily_call_quota), ("daily_row_quota", daily_row_quota)):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_QUOTA
            ):
                errors[name] = [_("每日上限须为 1 到 %(n)d 之间的整数，不填则使用平台默认值。") % {"n": MAX_QUOTA}]
        if errors:
            raise _invalid(errors)
        return _grant(
            application,
            actor=actor,
            items=items,
            mode=mode,
            end_date=end_date,
            unmasked=unmasked,
            now=timezone.now(),
            note=(note or "").strip()[:2000],
            daily_call_quota=daily_call_quota,
            daily_row_quota=daily_row_quota,
        )


@transaction.atomic
def application_refuse(*, actor, application: Application, reason: str) -> Application:
    """Refuse with a reason (Sixian art. 25: no refusal without a legal or policy basis)."""
    application = _locked(application)
    if not may_decide(actor, application):
        raise PermissionDeniedError(_("您不是该申请的审核人。"))
    reason = (reason or "").strip()
    check(application, "refuse")
    if not reason:
        raise DomainError(
            _("不予授权必须说明理由和依据。"),
            code="reason_required",
            errors={"reason": [_("请填写不予授权的理由和依据。")]},
        )
    return _refuse(application, actor=actor, reason=reason)


def _refuse(application: Application, *, actor, reason: str, detail: dict | None = None) -> Application:
    """Refuse a locked application, close its deadline, record it and tell the applicant; the caller
    checked who may."""
    move(application, "refuse")
    now = timezone.now()
    application.decided_at, application.decided_by, application.decision_note = now, actor, reason[:2000]
    save(application, ["decided_at", "decided_by", "decision_note"])
    deadlines.deadline_close(subject=application, now=now)
    record(
        "sharing.application.refuse", actor=actor, target=application, detail={"reason": reason[:500], **(detail or {})}
    )
    decisions.sign_decision(
        actor=actor,
        kind="refusal",
        application_id=application.pk,
        requester_department_id=application.applicant_department_id,
        detail={"reason": reason[:500], **(detail or {})},
    )
    _tell_applicant(application, _("共享申请未通过：%(n)s") % {"n": application.entry_version.name}, reason)
    return application


def refuse_for_withdrawn_entry(*, actor, entry, reason: str) -> list[Application]:
    """The provider withdrew the entry: its pending applications (renewals too) are refused with that
    reason (Hechi (second document) art. 29) and their deadlines closed, so no reminder or escalation
    follows. Runs inside the withdrawal's transaction (catalog.withdrawal); the withdrawal was the
    permission check."""
    note = _("资源目录已撤销：%(r)s") % {"r": reason}
    pending = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("entry", "entry_version", "provider_department", "applicant_department", "applicant")
        .filter(entry=entry, status__in=PENDING)
        .order_by("pk")
    )
    return [
        _refuse(application, actor=actor, reason=note, detail={"cause": "catalog.entry.withdraw"})
        for application in pending
    ]


@transaction.atomic
def application_cancel(*, actor, application: Application) -> Application:
    """The applicant's department withdraws a pending application."""
    application = _locked(application)
    if actor.department_id != application.applicant_department_id or not can(actor, "sharing.apply_for_data"):
        raise PermissionDeniedError(_("只有申请部门可以撤回申请。"))
    move(application, "cancel")
    now = timezone.now()
    application.decided_at = now
    save(application, ["decided_at"])
    deadlines.deadline_close(subject=application, now=now)
    record("sharing.application.cancel", actor=actor, target=application)
    return application
