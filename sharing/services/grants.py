"""Grants (docs/features.md S5): created from an approved application, ended by revocation, expiry or renewal.

Lhasa art. 22: the grant is minimal — the business, the users (a department), the data (items),
the mode and the end date that were approved. Seed 004: sensitive items are masked before they are
shared unless the approval explicitly allows them. Hechi (second document) art. 29: stopping a
share needs a stated reason.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.expressions import ArraySubquery
from django.db import transaction
from django.db.models import OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from catalog import selectors as catalog_selectors
from portal import workdays
from portal.errors import DomainError
from portal.permissions import can, require
from portal.services.notifications import notify
from protection.signatures.services import decisions
from sharing.conf import setting
from sharing.models import Application, Grant
from sharing.services import people
from sharing.transitions import move, save


def sensitive_keys(version) -> set[str]:
    return _sensitive_keys_of(version.pk)


def _sensitive_items_of(version_id):
    """Items ticked 敏感 or graded at PROTECTION_SENSITIVE_LEVEL or above (Sixian art. 39: 分级 protection,
    protection.grading.services.is_sensitive)."""
    return catalog_selectors.sensitive_item_keys(version_id)


def _sensitive_keys_of(version_id: int) -> set[str]:
    return set(_sensitive_items_of(version_id))


def with_sensitive_now(grants: QuerySet) -> QuerySet:
    """The grants with `sensitive_now`: the items flagged sensitive in their entry's published version,
    read in the same statement (for masked_now)."""
    return grants.annotate(sensitive_now=ArraySubquery(_sensitive_items_of(OuterRef("entry__published_version_id"))))


def grant_create(
    *,
    application: Application,
    items: list[str],
    mode: str,
    end_date: dt.date,
    unmasked: list[str],
    now: dt.datetime,
    daily_call_quota: int | None = None,
    daily_row_quota: int | None = None,
) -> Grant:
    """Called inside the approving transaction, with the application locked. The daily quotas are
    the approver's (None: the portal's defaults, SECURITY.md 14.6)."""
    sensitive = sensitive_keys(application.entry_version)
    grant = Grant.objects.create(
        application=application,
        entry=application.entry,
        provider_department=application.provider_department,
        holder_department=application.applicant_department,
        items=list(items),
        mode=mode,
        masked_items=[k for k in items if k in sensitive and k not in unmasked],
        unmasked_items=[k for k in items if k in sensitive and k in unmasked],
        granted_at=now,
        end_date=end_date,
        expires_at=workdays.end_of_day(end_date),
        daily_call_quota=daily_call_quota,
        daily_row_quota=daily_row_quota,
    )
    if application.renews_id:
        old = Grant.objects.select_for_update().get(pk=application.renews_id)
        if old.status == Grant.Status.ACTIVE:
            move(old, "renew")
            old.ended_at = now
            save(old, ["ended_at"])
            record("sharing.grant.renew", target=old, detail={"renewed_by": grant.pk})
    record(
        "sharing.grant.create",
        target=grant,
        detail={
            "application": application.pk,
            "items": grant.items,
            "masked_items": grant.masked_items,
            "mode": mode,
            "end_date": end_date.isoformat(),
            "holder": grant.holder_department_id,
            "daily_call_quota": daily_call_quota,
            "daily_row_quota": daily_row_quota,
        },
    )
    return grant


def masked_now(grant: Grant) -> set[str]:
    """The granted items to mask at this use: those masked at the grant, and any item the provider
    has flagged sensitive since (in the published version), unless the approval unmasked it.

    The flagged items are those read with the grant at this use (with_sensitive_now, in
    sharing.services.use._fresh), or else those of the published version of `grant.entry` as read
    with the grant; the entry is not read again."""
    flagged = getattr(grant, "sensitive_now", None)
    if flagged is None:
        version_id = grant.entry.published_version_id
        flagged = _sensitive_keys_of(version_id) if version_id is not None else set()
    flagged = set(flagged)
    return (set(grant.masked_items) | (flagged & set(grant.items))) - set(grant.unmasked_items)


def may_revoke(user, grant: Grant) -> bool:
    return can(user, "portal.review_share_requests", grant.provider_department) or can(user, "sharing.revoke_any_grant")


@transaction.atomic
def grant_revoke(*, actor, grant: Grant, reason: str) -> Grant:
    """The provider or the bureau stops a grant at once, with a reason."""
    grant = Grant.objects.select_for_update().select_related("entry", "holder_department").get(pk=grant.pk)
    if not may_revoke(actor, grant):
        require(actor, "sharing.revoke_any_grant")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("撤销授权必须说明理由。"), code="reason_required", errors={"reason": [_("请填写撤销理由。")]}
        )
    return _revoke(grant, actor=actor, reason=reason)


def _revoke(grant: Grant, *, actor, reason: str, detail: dict | None = None) -> Grant:
    """Revoke a locked grant, record it and tell its holder; the caller checked who may."""
    move(grant, "revoke")
    grant.ended_at, grant.revoked_by, grant.revoke_reason = timezone.now(), actor, reason[:2000]
    save(grant, ["ended_at", "revoked_by", "revoke_reason"])
    record("sharing.grant.revoke", actor=actor, target=grant, detail={"reason": grant.revoke_reason, **(detail or {})})
    decisions.sign_decision(
        actor=actor,
        kind="revocation",
        application_id=grant.application_id,
        grant_id=grant.pk,
        requester_department_id=grant.holder_department_id,
        detail={"entry": grant.entry.code, "reason": grant.revoke_reason, **(detail or {})},
    )
    _tell_holder(
        grant,
        "sharing.grant_changed",
        f"sharing.grant.revoke:{grant.pk}",
        _("共享授权已被撤销：%(c)s") % {"c": grant.entry.code},
        grant.revoke_reason,
    )
    return grant


def revoke_for_withdrawn_entry(*, actor, entry, reason: str) -> list[Grant]:
    """Hechi (second document) art. 29: the provider withdrew the entry, so every live grant on it
    stops now, with that reason, and its holder is told. Runs inside the withdrawal's transaction
    (catalog.withdrawal); the withdrawal was the permission check."""
    note = _("资源目录已撤销：%(r)s") % {"r": reason}
    grants = list(
        Grant.objects.select_for_update(of=("self",))
        .select_related("entry", "holder_department", "application__applicant")
        .filter(entry=entry, status=Grant.Status.ACTIVE)
        .order_by("pk")
    )
    return [_revoke(grant, actor=actor, reason=note, detail={"cause": "catalog.entry.withdraw"}) for grant in grants]


def _tell_holder(grant: Grant, kind: str, key: str, title: str, body: str = "") -> None:
    users = [grant.application.applicant] + people.officers(grant.holder_department)
    notify(users=users, kind=kind, key=key, title=title, body=body, url=people.url("grant", grant.pk))


def sweep_expired_grants(*, now: dt.datetime | None = None) -> int:
    """Mark grants past their end date as expired (use is refused from the end date on anyway)."""
    now = now or timezone.now()
    size = setting("SWEEP_BATCH")
    expired = 0
    while True:
        with transaction.atomic():
            batch = list(
                Grant.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("entry", "application__applicant", "holder_department")
                .filter(status=Grant.Status.ACTIVE, expires_at__lt=now)
                .order_by("expires_at")[:size]
            )
            for grant in batch:
                move(grant, "expire")
                grant.ended_at = grant.expires_at
                save(grant, ["ended_at"])
                record("sharing.grant.expire", target=grant, detail={"end_date": grant.end_date.isoformat()})
                _tell_holder(
                    grant,
                    "sharing.grant_changed",
                    f"sharing.grant.expire:{grant.pk}",
                    _("共享授权已到期：%(c)s") % {"c": grant.entry.code},
                    _("如需继续使用，请提交续期申请。"),
                )
            expired += len(batch)
        if len(batch) < size:
            return expired


def notify_expiring_grants(*, now: dt.datetime | None = None) -> int:
    """Tell the holder once when a grant will expire within 5 working days (docs/features.md P2), so a renewal
    can be applied for in time. The notification's key makes a second run, or a run after an
    outage, send nothing twice."""
    from portal import workdays

    now = now or timezone.now()
    # a look-ahead, not a deadline: records no missing year (SECURITY.md 22.2)
    horizon = workdays.estimate_deadline(now, 5).deadline
    grants = Grant.objects.select_related("entry", "application__applicant", "holder_department").filter(
        status=Grant.Status.ACTIVE, expires_at__gte=now, expires_at__lte=horizon
    )
    count = 0
    for grant in grants:
        _tell_holder(
            grant,
            "sharing.grant_expiring",
            f"sharing.grant.expiring:{grant.pk}:{grant.end_date}",
            _("共享授权将于 %(d)s 到期：%(c)s") % {"d": grant.end_date.isoformat(), "c": grant.entry.code},
            _("如需继续使用，请在到期前提交续期申请。"),
        )
        count += 1
    return count
