"""The catalog's reads for the other apps (sharing, openness query the catalog only through these)."""

import pytest

from catalog import selectors
from tests.catalog.factories import draft, published

pytestmark = pytest.mark.django_db

NOT_SHARED = {"share_type": "not_shared", "legal_basis": "《中华人民共和国统计法》第二十五条", "open_type": "not_open"}


def test_shareable_entries_are_published_not_withdrawn_and_not_not_shared(officer, reviewer):
    shared = published(officer, reviewer, name="可共享资源")
    closed = published(officer, reviewer, name="不予共享资源", **NOT_SHARED)
    unpublished = draft(officer, name="草稿资源")
    assert list(selectors.shareable_entries()) == [shared]
    assert set(selectors.published_entries()) == {shared, closed}
    assert unpublished not in selectors.published_entries()
    assert selectors.published_entry(department_code=officer.department.code, name="可共享资源") == shared


def test_openable_entries_and_the_negative_list(officer, reviewer):
    opened = published(officer, reviewer, name="开放资源")
    closed = published(officer, reviewer, name="不予开放资源", **NOT_SHARED)
    assert list(selectors.openable_entries(officer.department_id)) == [opened]
    assert list(selectors.openable_entries(officer.department_id + 1000)) == []
    assert [v.entry for v in selectors.not_open_versions()] == [closed]
    assert list(selectors.not_open_versions(q="开放资源 不存在的词")) == []


def test_lookups_by_id(officer, reviewer):
    entry = draft(officer)
    assert selectors.entry_by_pk(entry.pk) == entry and selectors.entry_by_pk(entry.pk + 1000) is None
    assert selectors.entry_with_version(entry.pk).department == officer.department
    assert list(selectors.entries_of_department(officer.department_id)) == [entry]
