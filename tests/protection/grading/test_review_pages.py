"""The grades on the catalog's pages: the suggestion shown, the officer's proposal in the edit form, the
reviewer's confirmation in the review (Lhasa art. 39; docs/grading.md)."""

import pytest
from django.urls import reverse

from catalog.services import entries
from tests.catalog.factories import content, items, published

pytestmark = pytest.mark.django_db


def _submitted(officer):
    rows = items() + [{"key": "legal_id", "name": "法定代表人身份证号", "type": "id_number"}]
    rows[0]["grade_level"] = 1
    entry = entries.entry_create(actor=officer, department=officer.department, content=content(), items=rows)
    entries.entry_submit(actor=officer, entry=entry)
    return entry


def test_the_review_shows_the_proposal_and_the_suggestion_and_confirms_the_reviewers_choice(client, officer, reviewer):
    entry = _submitted(officer)
    client.force_login(reviewer)
    page = client.get(reverse("catalog:detail", args=[entry.pk])).content.decode()
    assert 'data-testid="grade-review"' in page and "3（身份证号、身份证件号码）" in page
    assert '<option value="1" selected>1 公开</option>' in page  # the officer's proposal preselected
    response = client.post(
        reverse("catalog:approve", args=[entry.pk]),
        {
            "comment": "",
            "grade_uscc": "1",
            "grade_company_name": "1",
            "grade_established": "1",
            "grade_legal_id": "3",
            "category_legal_id": "general",
            "grade": "",
            "category": "general",
        },
    )
    assert response.status_code == 302
    version = entry.versions.get()
    assert dict(version.items.values_list("key", "grade_level")) == {
        "uscc": 1,
        "company_name": 1,
        "established": 1,
        "legal_id": 3,
    }
    assert version.grade_confirmed and version.grade_level == 3
    page = client.get(reverse("catalog:detail", args=[entry.pk])).content.decode()
    assert "3 敏感 · 已确认" in page and 'data-testid="confirm-grades"' not in page


def test_a_bad_level_in_the_review_is_a_message_not_an_error(client, officer, reviewer):
    entry = _submitted(officer)
    client.force_login(reviewer)
    response = client.post(reverse("catalog:approve", args=[entry.pk]), {"grade_uscc": "99"}, follow=True)
    assert response.status_code == 200 and "数据分级必须是已设定的级别之一" in response.content.decode()
    assert entry.versions.get().status == "submitted"


def test_the_reviewer_confirms_a_published_entrys_grades_on_its_page(client, officer, reviewer):
    entry = published(officer, reviewer)
    client.force_login(reviewer)
    assert 'data-testid="confirm-grades"' in client.get(reverse("catalog:detail", args=[entry.pk])).content.decode()
    client.post(
        reverse("catalog:confirm_grades", args=[entry.pk]),
        {"grade_uscc": "1", "grade_company_name": "1", "grade_established": "1"},
    )
    assert entry.published_version.items.filter(grade_confirmed=True).count() == 3


def test_the_officer_proposes_grades_in_the_edit_form_beside_the_suggestion(client, officer, reviewer):
    entry = entries.entry_create(
        actor=officer,
        department=officer.department,
        content=content(),
        items=items() + [{"key": "mobile", "name": "联系人手机", "type": "phone"}],
    )
    client.force_login(officer)
    page = client.get(reverse("catalog:edit", args=[entry.pk])).content.decode()
    assert 'data-testid="grade-suggestion"' in page and "建议：3 级（电话号码）" in page
    assert 'name="items-0-grade_level"' in page and 'name="items-0-grade_category"' in page
