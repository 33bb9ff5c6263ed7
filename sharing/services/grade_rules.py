"""The grading rules of sharing (Sixian art. 39 数据分类分级安全防护; Lhasa art. 39; docs/grading.md).

- A conditional share of an entry graded PROTECTION_CO_APPROVAL_LEVEL (default 4 高度敏感) or
  重要数据 needs the bureau's co-approval (会签) before the provider grants it, and its grant is no
  longer than PROTECTION_CO_APPROVAL_GRANT_DAYS.
- 核心数据 is granted outside its providing department only by the bureau administrator.
- None of them is granted automatically (scenario or the bureau's auto-grant switch).
The grade is the entry's effective one (protection.grading.services.entry_grade) of the version
applied for.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from catalog.models import ShareType
from portal.errors import DomainError, InvalidTransitionError, PermissionDeniedError
from portal.permissions import can
from portal.roles import Role
from portal.services.notifications import notify
from protection.grading import rules
from protection.grading.services import Grade, entry_grade
from sharing.models import Application, GrantUse, Mode
from sharing.services import limits, people
from sharing.services.refusals import QuotaExceededError, Refused

PENDING = (Application.Status.SUBMITTED, Application.Status.ESCALATED)


def grade_of(application: Application) -> Grade:
    return entry_grade(application.entry_version)


def needs_co_approval(application: Application, grade: Grade | None = None) -> bool:
    return application.share_type == ShareType.CONDITIONAL and rules.needs_co_approval(grade or grade_of(application))


def needs_bureau_admin(application: Application, grade: Grade | None = None) -> bool:
    return rules.needs_bureau_admin(grade or grade_of(application))


def may_grant_automatically(application: Application) -> bool:
    grade = grade_of(application)
    return not (needs_co_approval(application, grade) or needs_bureau_admin(application, grade))


def decides_as_bureau_admin(user, application: Application) -> bool:
    """核心数据: the bureau administrator decides in the provider's place."""
    return needs_bureau_admin(application) and user.has_role(Role.BUREAU_ADMIN)


def default_days(version, default: int) -> int:
    """The default grant period of the version's grade (shorter for 高度敏感, 重要 and 核心 data)."""
    return rules.longest_grant_days(entry_grade(version), default)


def end_date_error(version, end_date: dt.date | None, today: dt.date, longest_default: int) -> str | None:
    """The refusal of an end date beyond the grade's longest grant, or None."""
    longest = rules.longest_grant_days(entry_grade(version), longest_default)
    if end_date is not None and longest < longest_default and end_date > today + dt.timedelta(days=longest):
        return _("该资源分级为高度敏感、重要数据或核心数据，授权期限最长 %(n)d 天。") % {"n": longest}
    return None


def check_grant(*, actor, application: Application) -> None:
    """Refuse a grant the grade does not allow yet (called in the approving transaction)."""
    grade = grade_of(application)
    if needs_bureau_admin(application, grade) and not (actor is not None and actor.has_role(Role.BUREAU_ADMIN)):
        raise PermissionDeniedError(
            _("核心数据只能由大数据管理局管理员授权给提供部门以外的部门。"), code="core_data_needs_admin"
        )
    if needs_co_approval(application, grade) and application.co_approved_at is None:
        raise DomainError(
            _("该资源分级为高度敏感或重要数据，须经大数据管理局会签后才能授权。"), code="co_approval_required"
        )


@transaction.atomic
def application_co_approve(*, actor, application: Application, note: str = "") -> Application:
    """The bureau reviewer co-approves (会签) a pending conditional application for 高度敏感 or 重要数据;
    the provider then decides as usual."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("entry_version", "provider_department", "applicant_department")
        .get(pk=application.pk)
    )
    if not can(actor, "sharing.review_unconditional") or actor.pk == application.applicant_id:
        raise PermissionDeniedError(_("只有大数据管理局审核人员可以会签。"))
    if application.status not in PENDING:
        raise InvalidTransitionError(_("只能会签待审核的申请。"))
    if not needs_co_approval(application):
        raise DomainError(_("该申请不需要会签。"), code="co_approval_not_needed")
    if application.co_approved_at is not None:
        raise InvalidTransitionError(_("该申请已会签。"))
    application.co_approved_by, application.co_approved_at = actor, timezone.now()
    application.co_approval_note = (note or "").strip()[:2000]
    application.save(update_fields=["co_approved_by", "co_approved_at", "co_approval_note"])
    record(
        "sharing.application.co_approve", actor=actor, target=application, detail={"note": application.co_approval_note}
    )
    notify(
        users=people.officers(application.provider_department),
        kind="sharing.application_received",
        key=f"sharing.application.co_approved:{application.pk}",
        title=_("共享申请已会签：%(n)s") % {"n": application.entry_version.name},
        url=people.url("application", application.pk),
    )
    return application


def check_pull(*, grant, rows: int, now) -> dict:
    """Downloads and pulls (获取) of an entry graded PROTECTION_AUDITED_LEVEL (default 3) or above: the
    audit entry names the grade beside the row count, and the rows pulled on one grant a day stay
    within PROTECTION_SENSITIVE_DAILY_ROWS (0: no limit of grading's own). Under the grant's quota
    lock (the same advisory lock the sharing quotas take; it is re-entrant in one transaction)."""
    grade = entry_grade(grant.entry)
    if not rules.is_audited(grade):
        return {}
    limit = rules.daily_row_limit(grade)
    if limit:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [limits.QUOTA_LOCK, grant.pk])
        pulled = (
            GrantUse.objects.filter(
                grant=grant, mode=Mode.PULL, outcome=GrantUse.Outcome.SUCCESS, used_at__gte=limits.day_start(now)
            ).aggregate(rows=Sum("amount"))["rows"]
            or 0
        )
        if pulled + rows > limit:
            raise Refused(
                grant,
                "graded_rows",
                _("该资源分级为敏感及以上，每个授权每日最多获取 %(n)d 行；本次 %(r)d 行，今日剩余 %(left)d 行。")
                % {"n": limit, "r": rows, "left": max(0, limit - pulled)},
                {"limit": limit, "rows": rows},
                error=QuotaExceededError,
                retry_after=limits.seconds_to_next_day(now),
            )
    return {"grade_level": grade.level, "grade_category": grade.category, "rows": rows}
