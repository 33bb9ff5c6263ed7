"""分级记录: the entry page lists the grade of each published version, who confirmed it and when, and
the items whose grade changed from the version before (Lhasa art. 39 分级分类管理: a grade is a
decision someone answers for, so its changes stay visible)."""

import pytest
from django.test import Client

from catalog.services import entries
from portal.roles import Role
from tests.catalog.factories import content, items
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _rows():
    rows = items()
    rows[0].update(grade_level=1)
    rows.append({"key": "legal_id", "name": "法定代表人身份证号", "type": "id_number", "grade_level": 2})
    return rows


def _history_table(page: str) -> str:
    start = page.index('data-testid="grade-history"')
    return page[start : page.index("</table>", start)]


def test_the_entry_page_shows_each_versions_grade_and_what_changed():
    officer = user_with_role(Role.DATA_OFFICER)
    reviewer = user_with_role(Role.BUREAU_REVIEWER)
    entry = entries.entry_create(actor=officer, department=officer.department, content=content(), items=_rows())
    entries.entry_submit(actor=officer, entry=entry)
    entries.entry_approve(actor=reviewer, entry=entry)
    entries.entry_revise(actor=officer, entry=entry)
    entries.entry_submit(actor=officer, entry=entry)
    # the reviewer raises the ID number to 敏感 when approving the second version
    entries.entry_approve(actor=reviewer, entry=entry, grades={"items": {"legal_id": {"level": 3}}})

    client = Client()
    client.force_login(officer)
    table = _history_table(client.get(f"/catalog/{entry.pk}/").content.decode())
    assert table.count("<tr>") == 3  # the header and two versions
    assert (reviewer.get_full_name() or reviewer.get_username()) in table
    second_row = table.split("<tr>")[-1]
    assert "<td>2</td>" in second_row and "法定代表人身份证号：2 内部 → 3 敏感" in second_row
    assert "法定代表人身份证号" not in table.split("<tr>")[-2]  # the first version has nothing before it


def test_drafts_and_submissions_are_not_in_the_history_of_another_department():
    officer = user_with_role(Role.DATA_OFFICER)
    reviewer = user_with_role(Role.BUREAU_REVIEWER)
    entry = entries.entry_create(actor=officer, department=officer.department, content=content(), items=_rows())
    entries.entry_submit(actor=officer, entry=entry)
    entries.entry_approve(actor=reviewer, entry=entry)
    entries.entry_revise(actor=officer, entry=entry)
    entries.entry_submit(actor=officer, entry=entry)  # version 2 waits for review

    other = user_with_role(Role.DATA_OFFICER)
    assert other.department != officer.department
    client = Client()
    client.force_login(other)
    page = client.get(f"/catalog/{entry.pk}/").content.decode()
    table = _history_table(page)
    assert table.count("<tr>") == 2 and "<td>1</td>" in table  # the header and the published version only
