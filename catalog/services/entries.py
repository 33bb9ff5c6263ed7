"""The lifecycle of catalog entries (docs/features.md C1-C3): create, edit, submit, review, revise, withdraw.

Lhasa art. 6-7 and Hechi (second document) art. 9: departments register and maintain their
entries; the bureau reviews and publishes them. Every change runs in one transaction, locks the
entry, checks the actor's permission and writes its audit entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from catalog import rules, search, transitions, withdrawal
from catalog.models import DataItem, EntryCodeCounter, EntryVersion, ResourceEntry, UpdateDuty
from catalog.services import grades as grading
from portal.errors import DomainError, InvalidTransitionError, PermissionDeniedError
from portal.permissions import require
from portal.roles import Role
from portal.selectors import users_with_role
from portal.services.notifications import notify

MAINTAIN = "portal.maintain_catalog"
REVIEW = "catalog.review_entryversion"


def _check(errors: dict) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, code="invalid_entry", errors=errors)


def _next_code(department) -> str:
    counter, _created = EntryCodeCounter.objects.select_for_update().get_or_create(department=department)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{department.code.upper()}-{counter.last:05d}"


def _write_items(version: EntryVersion, items: Sequence[Mapping[str, Any]]) -> None:
    version.items.all().delete()
    DataItem.objects.bulk_create(
        [
            DataItem(
                version=version,
                position=i,
                key=item["key"].strip(),
                name=item["name"].strip(),
                type=item.get("type") or "string",
                length=item.get("length"),
                required=bool(item.get("required")),
                sensitive=bool(item.get("sensitive")),
                description=(item.get("description") or "").strip(),
                # the officer's proposal (Lhasa art. 39); confirmed only by the bureau's review
                grade_level=item.get("grade_level") or None,
                grade_category=item.get("grade_category") or "general",
            )
            for i, item in enumerate(items, start=1)
        ]
    )


def refresh_search_vector(version: EntryVersion) -> None:
    """Index name (A), summary and theme (B), item names (C), code and department (D) as bigrams."""
    entry = version.entry
    # A not-shared entry shows only that it exists and who holds it (Lhasa art. 8(3)): its summary
    # and items are not searchable by others.
    hidden = version.share_type == "not_shared"
    items = "" if hidden else " ".join(version.items.values_list("name", flat=True))
    summary = "" if hidden else f"{version.summary} {version.theme}"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_entryversion SET search_vector ="
            " setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"
            " || setweight(to_tsvector('simple', %s), 'C') || setweight(to_tsvector('simple', %s), 'D')"
            " WHERE id = %s",
            [
                search.index_text(version.name),
                search.index_text(summary),
                search.index_text(items),
                search.index_text(f"{entry.code} {entry.department.name}"),
                version.pk,
            ],
        )


def _snapshot(version: EntryVersion) -> dict:
    return {f: getattr(version, f) for f in rules.CONTENT_FIELDS}


def _locked(entry: ResourceEntry) -> ResourceEntry:
    return ResourceEntry.objects.select_for_update().select_related("department").get(pk=entry.pk)


def _check_related(content: dict, own_code: str | None) -> None:
    codes = [c for c in content.get("related_codes") or [] if c]
    if not codes:
        return
    known = set(ResourceEntry.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known or c == own_code]
    if unknown:
        _check({"related_codes": [_("关联资源代码不存在：%(c)s") % {"c": "、".join(unknown)}]})


@transaction.atomic
def entry_create(*, actor, department, content: dict, items: list[dict]) -> ResourceEntry:
    """Register a new entry as a draft of the actor's department (Lhasa art. 7: departments maintain their own)."""
    require(actor, MAINTAIN, department)
    content = rules.normalise_content(content)
    _check({**rules.validate_content(content), **rules.validate_items(items)})
    _check_related(content, None)
    entry = ResourceEntry.objects.create(code=_next_code(department), department=department, created_by=actor)
    version = EntryVersion.objects.create(
        entry=entry, number=1, created_by=actor, **{f: content.get(f, "") for f in rules.CONTENT_FIELDS if f in content}
    )
    _write_items(version, items)
    entry.working_version = version
    entry.save(update_fields=["working_version"])
    refresh_search_vector(version)
    record("catalog.entry.create", actor=actor, target=entry, detail={"version": 1, "name": version.name})
    return entry


@transaction.atomic
def version_update(*, actor, entry: ResourceEntry, content: dict, items: list[dict] | None = None) -> EntryVersion:
    """Edit the working version (draft or returned); a submitted version is frozen."""
    entry = _locked(entry)
    require(actor, MAINTAIN, entry.department)
    version = entry.working_version
    if version is None or not version.is_editable:
        raise InvalidTransitionError(_("只有草稿或已退回的版本可以修改；已发布的资源请先发起修订。"))
    merged = rules.normalise_content({**_snapshot(version), **content})
    item_rows = items if items is not None else list(version.items.values())
    _check({**rules.validate_content(merged), **rules.validate_items(item_rows)})
    _check_related(merged, entry.code)
    before = _snapshot(version)
    for field in rules.CONTENT_FIELDS:
        setattr(version, field, merged.get(field, getattr(version, field)))
    version.save()
    if items is not None:
        _write_items(version, items)
    refresh_search_vector(version)
    changed = sorted(f for f in rules.CONTENT_FIELDS if before[f] != getattr(version, f))
    record(
        "catalog.entry.update",
        actor=actor,
        target=entry,
        detail={"version": version.number, "fields": changed, "items_changed": items is not None},
    )
    return version


@transaction.atomic
def entry_submit(*, actor, entry: ResourceEntry) -> EntryVersion:
    """Submit the working version to the bureau for review."""
    entry = _locked(entry)
    require(actor, MAINTAIN, entry.department)
    version = entry.working_version
    if version is None:
        raise InvalidTransitionError(_("没有待提交的版本。"))
    _check({**rules.validate_content(_snapshot(version)), **rules.validate_items(list(version.items.values()))})
    transitions.move(version, "submit")
    version.submitted_at = timezone.now()
    transitions.save(version, ["submitted_at", "updated_at"])
    # Lhasa art. 7: the department's update is due within the deadline; the bureau's review time is
    # not the department's. The duty counts as answered at submission (cleared again if returned)
    # and is closed when the version is published.
    UpdateDuty.objects.filter(entry=entry, status=UpdateDuty.Status.OPEN, done_at__isnull=True).update(
        done_at=version.submitted_at
    )
    record("catalog.entry.submit", actor=actor, target=entry, detail={"version": version.number})
    notify(
        users=users_with_role(Role.BUREAU_REVIEWER),
        kind="catalog.review_waiting",
        key=f"catalog.review_waiting:{version.pk}:{version.submitted_at.timestamp()}",
        title=_("资源目录待审核：%(n)s") % {"n": version.name},
        url=reverse("catalog:detail", args=[entry.pk]),
    )
    return version


@transaction.atomic
def entry_approve(*, actor, entry: ResourceEntry, comment: str = "", grades: dict | None = None) -> EntryVersion:
    """Bureau review passes: the submitted version is published; the one it replaces is kept, superseded.
    The reviewer confirms the proposed grades, changed as ``grades`` says (Lhasa art. 39; catalog.services.grades)."""
    entry = _locked(entry)
    require(actor, REVIEW, entry)
    version = entry.working_version
    if version is None:
        raise InvalidTransitionError(_("没有待审核的版本。"))
    if version.created_by_id == actor.pk:  # one account holding both roles (as publishing refuses it)
        raise PermissionDeniedError(_("不能审核自己编制的资源目录（职责分离）。"))
    transitions.move(version, "approve")
    now = timezone.now()
    previous = entry.published_version
    if previous is not None:
        transitions.move(previous, "supersede")
        transitions.save(previous, ["updated_at"])
    version.reviewed_by, version.reviewed_at, version.review_comment = actor, now, comment.strip()
    version.publish_date = timezone.localdate()
    transitions.save(version, ["reviewed_by", "reviewed_at", "review_comment", "publish_date", "updated_at"])
    entry.published_version, entry.working_version = version, None
    entry.last_maintained_at, entry.maintenance_flagged_at = now, None
    entry.save(update_fields=["published_version", "working_version", "last_maintained_at", "maintenance_flagged_at"])
    UpdateDuty.objects.filter(entry=entry, status=UpdateDuty.Status.OPEN).update(
        status=UpdateDuty.Status.DONE,
        done_at=Coalesce("done_at", Value(now)),
        done_note=_("已发布第 %(n)d 版") % {"n": version.number},
    )
    graded = grading.apply_confirmation(actor=actor, version=version, grades=grades, now=now)
    record("catalog.entry.approve", actor=actor, target=entry, detail={"version": version.number, **graded})
    _notify_department(entry, version, "catalog.approved", _("资源目录已发布：%(n)s") % {"n": version.name})
    return version


@transaction.atomic
def entry_return(*, actor, entry: ResourceEntry, reasons: str) -> EntryVersion:
    """Bureau review fails: the version goes back to its department with the reviewer's reasons."""
    entry = _locked(entry)
    require(actor, REVIEW, entry)
    reasons = (reasons or "").strip()
    if not reasons:
        raise DomainError(
            _("退回时必须填写退回原因。"), code="reason_required", errors={"reasons": [_("请填写退回原因。")]}
        )
    version = entry.working_version
    if version is None:
        raise InvalidTransitionError(_("没有待审核的版本。"))
    transitions.move(version, "return")
    version.reviewed_by, version.reviewed_at, version.review_comment = actor, timezone.now(), reasons
    transitions.save(version, ["reviewed_by", "reviewed_at", "review_comment", "updated_at"])
    # the returned submission did not answer the entry's update duties: they wait for the next one
    UpdateDuty.objects.filter(entry=entry, status=UpdateDuty.Status.OPEN).update(done_at=None)
    record("catalog.entry.return", actor=actor, target=entry, detail={"version": version.number, "reasons": reasons})
    _notify_department(
        entry, version, "catalog.returned", _("资源目录被退回：%(n)s") % {"n": version.name}, body=reasons
    )
    return version


@transaction.atomic
def entry_revise(*, actor, entry: ResourceEntry, change_note: str = "") -> EntryVersion:
    """Start a new version of a published entry; the published one stays visible until the new one is approved."""
    entry = _locked(entry)
    require(actor, MAINTAIN, entry.department)
    if entry.is_withdrawn:
        raise InvalidTransitionError(_("已撤销的资源不能修订。"))
    if entry.working_version is not None:
        raise InvalidTransitionError(_("该资源已有未发布的修订版本。"))
    published = entry.published_version
    if published is None:
        raise InvalidTransitionError(_("资源尚未发布，请直接修改草稿。"))
    last = entry.versions.order_by("-number").values_list("number", flat=True).first()
    assert last is not None  # the published version is one of them
    number = last + 1
    version = EntryVersion.objects.create(
        entry=entry, number=number, created_by=actor, **{**_snapshot(published), "change_note": change_note.strip()}
    )
    _write_items(version, list(published.items.values()))
    entry.working_version = version
    entry.save(update_fields=["working_version"])
    refresh_search_vector(version)
    record("catalog.entry.revise", actor=actor, target=entry, detail={"version": number})
    return version


@transaction.atomic
def entry_withdraw(*, actor, entry: ResourceEntry, reason: str) -> ResourceEntry:
    """Withdraw a published entry (Hechi art. 29: stopping a share needs a reason); it stays listed as withdrawn.

    Everything running on it ends in the same transaction, each with this reason (catalog.withdrawal):
    its open dataset is withdrawn, its grants revoked, its pending applications and coordination
    requests closed."""
    entry = _locked(entry)
    require(actor, MAINTAIN, entry.department)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("撤销资源必须填写原因。"), code="reason_required", errors={"reason": [_("请填写撤销原因。")]}
        )
    if entry.is_withdrawn:
        raise InvalidTransitionError(_("该资源已撤销。"))
    published = entry.published_version
    if published is None:
        raise InvalidTransitionError(_("只有已发布的资源可以撤销；未发布的草稿不需要撤销。"))
    transitions.move(published, "withdraw")
    transitions.save(published, ["updated_at"])
    entry.withdrawn_at, entry.withdrawal_reason = timezone.now(), reason
    entry.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    record("catalog.entry.withdraw", actor=actor, target=entry, detail={"reason": reason})
    notify(
        users=users_with_role(Role.BUREAU_REVIEWER),
        kind="catalog.withdrawn",
        key=f"catalog.withdrawn:{entry.pk}",
        title=_("资源已撤销：%(n)s") % {"n": published.name},
        body=reason,
        url=reverse("catalog:detail", args=[entry.pk]),
    )
    withdrawal.run(actor=actor, entry=entry, reason=reason)
    return entry


def _notify_department(entry, version, kind, title, body=""):
    users = set(users_with_role(Role.DATA_OFFICER, department=entry.department))
    users.add(version.created_by)
    notify(
        users=users,
        kind=kind,
        key=f"{kind}:{version.pk}:{version.reviewed_at.timestamp()}",
        title=title,
        body=body,
        url=reverse("catalog:detail", args=[entry.pk]),
    )
