"""C2: draft → submitted → bureau review (approve / return with reasons) → published → revised
(new version, history kept) → withdrawn (needs a reason). Every step is audited."""

import pytest

from audit.models import AuditEntry
from catalog.models import EntryVersion, ResourceEntry
from catalog.services import entries
from portal.errors import DomainError, InvalidTransitionError, PermissionDeniedError
from portal.roles import Role
from tests.catalog.factories import content, draft, items, published
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_codes_are_generated_per_department_and_unique(officer):
    first, second = draft(officer), draft(officer, name="另一个资源")
    prefix = officer.department.code.upper()
    assert first.code == f"{prefix}-00001" and second.code == f"{prefix}-00002"


def test_full_cycle_with_return_reasons(officer, reviewer):
    entry = draft(officer)
    entries.entry_submit(actor=officer, entry=entry)
    entries.entry_return(actor=reviewer, entry=entry, reasons="摘要不完整")
    entry.refresh_from_db()
    assert entry.working_version.status == EntryVersion.Status.RETURNED
    assert entry.working_version.review_comment == "摘要不完整"
    entries.version_update(actor=officer, entry=entry, content={"summary": "企业登记的全部信息"})
    entries.entry_submit(actor=officer, entry=entry)
    entries.entry_approve(actor=reviewer, entry=entry)
    entry.refresh_from_db()
    assert entry.published_version.status == EntryVersion.Status.PUBLISHED
    assert entry.working_version is None and entry.published_version.publish_date is not None
    actions = list(AuditEntry.objects.filter(object_id=str(entry.pk)).order_by("id").values_list("action", flat=True))
    assert actions == [
        "catalog.entry.create",
        "catalog.entry.submit",
        "catalog.entry.return",
        "catalog.entry.update",
        "catalog.entry.submit",
        "catalog.entry.approve",
    ]


def test_a_returned_entry_cannot_be_published(officer, reviewer):
    entry = draft(officer)
    entries.entry_submit(actor=officer, entry=entry)
    entries.entry_return(actor=reviewer, entry=entry, reasons="不完整")
    with pytest.raises(InvalidTransitionError):
        entries.entry_approve(actor=reviewer, entry=entry)
    entry.refresh_from_db()
    assert entry.published_version is None


def test_return_needs_reasons(officer, reviewer):
    entry = draft(officer)
    entries.entry_submit(actor=officer, entry=entry)
    with pytest.raises(DomainError) as exc:
        entries.entry_return(actor=reviewer, entry=entry, reasons="  ")
    assert "退回原因" in str(exc.value.message)


def test_a_submitted_version_is_frozen(officer):
    entry = draft(officer)
    entries.entry_submit(actor=officer, entry=entry)
    with pytest.raises(InvalidTransitionError):
        entries.version_update(actor=officer, entry=entry, content={"name": "改名"})


def test_revision_keeps_history_and_the_published_version_visible(officer, reviewer):
    entry = published(officer, reviewer)
    v1 = entry.published_version
    entries.entry_revise(actor=officer, entry=entry, change_note="增加信息项")
    entry.refresh_from_db()
    assert entry.published_version == v1 and entry.working_version.number == 2
    entries.version_update(
        actor=officer,
        entry=entry,
        content={},
        items=items() + [{"key": "status", "name": "登记状态", "type": "string"}],
    )
    entries.entry_submit(actor=officer, entry=entry)
    entries.entry_approve(actor=reviewer, entry=entry)
    entry.refresh_from_db()
    v1.refresh_from_db()
    assert v1.status == EntryVersion.Status.SUPERSEDED
    assert entry.published_version.number == 2 and entry.published_version.items.count() == 4
    assert list(v1.items.values_list("key", flat=True)) == ["uscc", "company_name", "established"]


def test_withdrawal_needs_a_reason_and_is_kept(officer, reviewer):
    entry = published(officer, reviewer)
    with pytest.raises(DomainError):
        entries.entry_withdraw(actor=officer, entry=entry, reason="")
    entries.entry_withdraw(actor=officer, entry=entry, reason="职能划转至其他部门")
    entry = ResourceEntry.objects.get(pk=entry.pk)
    assert entry.is_withdrawn and entry.withdrawal_reason == "职能划转至其他部门"
    assert entry.published_version.status == EntryVersion.Status.WITHDRAWN
    assert AuditEntry.objects.filter(action="catalog.entry.withdraw", object_id=str(entry.pk)).exists()


def test_only_the_departments_data_officer_maintains_and_only_the_bureau_reviews(officer, reviewer):
    entry = draft(officer)
    other_officer = user_with_role(Role.DATA_OFFICER)
    staff = user_with_role(Role.DEPARTMENT_STAFF, department=officer.department)
    for actor in (other_officer, staff):
        with pytest.raises(PermissionDeniedError):
            entries.entry_submit(actor=actor, entry=entry)
    entries.entry_submit(actor=officer, entry=entry)
    with pytest.raises(PermissionDeniedError):
        entries.entry_approve(actor=officer, entry=entry)
    with pytest.raises(PermissionDeniedError):
        entries.entry_create(actor=officer, department=other_officer.department, content=content(), items=items())


def test_related_codes_must_exist(officer):
    with pytest.raises(DomainError) as exc:
        draft(officer, related_codes=["NOPE-00001"])
    assert "关联资源代码不存在" in str(exc.value.message)
    first = draft(officer)
    second = draft(officer, name="关联资源", related_codes=[first.code])
    assert second.working_version.related_codes == [first.code]


def test_nobody_approves_an_entry_they_wrote(reviewer):
    """Separation of duties (as open-data publishing has it): an account holding both the data officer
    and the reviewer role cannot publish its own version; another reviewer can."""
    from tests.factories import UserFactory

    both = UserFactory(roles=[Role.DATA_OFFICER, Role.BUREAU_REVIEWER])
    entry = draft(both)
    entries.entry_submit(actor=both, entry=entry)
    with pytest.raises(PermissionDeniedError, match="职责分离"):
        entries.entry_approve(actor=both, entry=entry)
    assert entries.entry_approve(actor=reviewer, entry=entry).status == EntryVersion.Status.PUBLISHED
