"""Officers propose grades when registering; the bureau reviewer confirms them in the review (Lhasa art. 39)."""

import pytest

from audit.models import AuditEntry
from catalog.services import entries, grades
from portal.errors import DomainError, PermissionDeniedError
from portal.roles import Role
from protection.grading.services import entry_grade
from tests.catalog.factories import content, items, published
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return user_with_role(Role.DATA_OFFICER)


@pytest.fixture
def reviewer():
    return user_with_role(Role.BUREAU_REVIEWER)


def graded_items():
    rows = items()
    rows[0].update(grade_level=1)
    rows[1].update(grade_level=2)
    rows.append({"key": "legal_id", "name": "法定代表人身份证号", "type": "id_number", "grade_level": 3})
    return rows


def _submitted(officer, **overrides):
    entry = entries.entry_create(
        actor=officer, department=officer.department, content=content(**overrides), items=graded_items()
    )
    entries.entry_submit(actor=officer, entry=entry)
    return entry


def test_the_officers_proposal_is_stored_unconfirmed(officer):
    entry = entries.entry_create(
        actor=officer, department=officer.department, content=content(grade_level=2), items=graded_items()
    )
    version = entry.working_version
    assert version.grade_level == 2 and not version.grade_confirmed
    assert dict(version.items.values_list("key", "grade_level")) == {
        "uscc": 1,
        "company_name": 2,
        "established": None,
        "legal_id": 3,
    }
    assert not version.items.filter(grade_confirmed=True).exists()


def test_a_level_the_bureau_has_not_set_is_refused(officer):
    rows = graded_items()
    rows[0]["grade_level"] = 9
    with pytest.raises(DomainError) as refused:
        entries.entry_create(actor=officer, department=officer.department, content=content(), items=rows)
    assert "数据分级必须是已设定的级别之一" in str(refused.value)
    with pytest.raises(DomainError):
        entries.entry_create(
            actor=officer, department=officer.department, content=content(grade_category="x"), items=items()
        )


def test_approval_confirms_the_grades_with_the_reviewers_changes(officer, reviewer):
    entry = _submitted(officer, grade_level=2)
    entries.entry_approve(
        actor=reviewer,
        entry=entry,
        grades={"items": {"established": {"level": 1}, "company_name": {"level": 2, "category": "important"}}},
    )
    entry.refresh_from_db()
    version = entry.published_version
    assert dict(version.items.values_list("key", "grade_level")) == {
        "uscc": 1,
        "company_name": 2,
        "established": 1,
        "legal_id": 3,
    }
    assert all(version.items.values_list("grade_confirmed", flat=True))
    # the entry's grade is at least its highest item's: 重要数据 counts as the co-approval level
    assert (version.grade_level, version.grade_category, version.grade_confirmed) == (4, "important", True)
    assert version.grade_confirmed_by == reviewer
    assert entry_grade(entry).confirmed
    detail = AuditEntry.objects.filter(action="catalog.entry.approve").latest("id").detail
    assert detail["items_changed"] == ["company_name", "established"]


def test_an_item_nobody_graded_stays_unconfirmed(officer, reviewer):
    entry = _submitted(officer)
    entries.entry_approve(actor=reviewer, entry=entry)
    version = entry.versions.get()
    assert not version.items.get(key="established").grade_confirmed
    assert version.items.get(key="legal_id").grade_confirmed
    assert not version.grade_confirmed and version.grade_level == 3


def test_the_reviewer_confirms_a_published_entrys_grades_on_their_own(officer, reviewer):
    entry = published(officer)
    version = entry.published_version
    version.items.update(grade_level=2, grade_confirmed=False)
    with pytest.raises(PermissionDeniedError):
        grades.grades_confirm(actor=officer, entry=entry)
    grades.grades_confirm(actor=reviewer, entry=entry, grades={"level": 1, "items": {"uscc": {"level": 1}}})
    version.refresh_from_db()
    assert version.grade_confirmed and version.grade_level == 2
    assert AuditEntry.objects.filter(action="catalog.entry.grades_confirm").exists()


def test_a_revision_carries_the_grades_as_a_new_unconfirmed_proposal(officer, reviewer):
    entry = _submitted(officer, grade_level=3)
    entries.entry_approve(actor=reviewer, entry=entry, grades={"items": {"established": {"level": 1}}})
    version = entries.entry_revise(actor=officer, entry=entry)
    assert version.grade_level == 3 and not version.grade_confirmed
    assert dict(version.items.values_list("key", "grade_level"))["legal_id"] == 3
    assert not version.items.filter(grade_confirmed=True).exists()


def test_the_api_takes_the_officers_proposal_and_the_reviewers_confirmation(officer, reviewer):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(officer)
    rows = [dict(item, grade_level=1) for item in items()]
    created = api.post("/api/catalog/entries/", {**content(grade_level=1), "items": rows}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api.post(f"/api/catalog/entries/{pk}/submit/").status_code == 200
    api.force_authenticate(reviewer)
    answer = api.post(
        f"/api/catalog/entries/{pk}/approve/", {"grades": {"items": {"uscc": {"level": 2}}}}, format="json"
    )
    assert answer.status_code == 200, answer.content
    published = api.get(f"/api/catalog/entries/{pk}/").json()
    version = published["version"]
    items_out = {i["key"]: i for i in version.get("items", [])}
    assert items_out["uscc"]["grade_level"] == 2 and items_out["uscc"]["grade_confirmed"] is True
    refused = api.post(f"/api/catalog/entries/{pk}/grades/", {"items": {"uscc": {"level": 99}}}, format="json")
    assert refused.status_code == 400
