"""Only level-1 items are opened as they are (Tongren art. 29; docs/grading.md): an item graded above
is opened only masked, and 高度敏感, 重要 and 核心 items not at all."""

import pytest

from catalog.models import DataItem
from openness.models import DatasetVersion
from portal.errors import DomainError
from portal.roles import Role
from tests.factories import user_with_role
from tests.openness import factories

pytestmark = pytest.mark.django_db

PLAIN = [{"key": "uscc"}, {"key": "company_name"}, {"key": "note"}]


@pytest.fixture
def officer():
    return user_with_role(Role.DATA_OFFICER)


@pytest.fixture
def entry(officer):
    return factories.entry_with_rows(officer, [factories.company(n) for n in range(1, 4)])


def _grade(entry, key, **grade):
    DataItem.objects.filter(version=entry.published_version, key=key).update(**grade)


def test_level_one_items_are_opened_as_they_are(officer, entry):
    _grade(entry, "note", grade_level=1)
    assert factories.propose(officer, entry, items=PLAIN).status == DatasetVersion.Status.SUBMITTED


def test_an_item_above_level_one_is_opened_only_masked(officer, entry):
    _grade(entry, "note", grade_level=2)
    with pytest.raises(DomainError) as refused:
        factories.propose(officer, entry, items=PLAIN)
    assert "必须选择脱敏规则" in str(refused.value.message)
    masked = [*PLAIN[:2], {"key": "note", "rule": "hide"}]
    assert factories.propose(officer, entry, items=masked).status == DatasetVersion.Status.SUBMITTED


@pytest.mark.parametrize(
    "grade",
    [
        {"grade_level": 4},
        {"grade_level": 1, "grade_category": "important"},
        {"grade_level": 1, "grade_category": "core"},
    ],
)
def test_highly_sensitive_important_and_core_items_are_never_opened(officer, entry, grade):
    _grade(entry, "note", **grade)
    with pytest.raises(DomainError) as refused:
        factories.propose(officer, entry, items=[*PLAIN[:2], {"key": "note", "rule": "hide"}])
    assert "不能开放" in str(refused.value.message) and "备注（note）" in str(refused.value.message)
    assert not DatasetVersion.objects.exists()


def test_the_open_level_is_a_setting(officer, entry, settings):
    settings.PROTECTION_OPEN_MAX_LEVEL = 2
    _grade(entry, "note", grade_level=2)
    assert factories.propose(officer, entry, items=PLAIN).status == DatasetVersion.Status.SUBMITTED
