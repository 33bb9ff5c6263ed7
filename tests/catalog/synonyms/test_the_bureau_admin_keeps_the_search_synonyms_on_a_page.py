"""Issue 18 part 8: the bureau admin lists, adds, edits and deletes the search synonyms on a page, each
change audited (Lhasa art. 41) and in force at once; bad input is a form error (400) and writes
nothing; the bureau reviewer reads the table without its forms; nobody else opens the page."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from catalog.synonyms import SearchSynonym, synonym_map
from portal.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

LIST = reverse("catalog:synonyms")


def _audits(action="catalog.synonym.save"):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_the_admin_adds_edits_and_deletes_a_term_each_change_audited(client, bureau_admin):
    client.force_login(bureau_admin)
    page = client.get(LIST)
    assert page.status_code == 200 and 'data-testid="synonym-form"' in page.content.decode()

    answer = client.post(LIST, {"term": "养老院", "synonyms": "养老机构，敬老院"}, follow=True)
    assert answer.redirect_chain[-1][0] == LIST
    body = answer.content.decode()
    assert "已新增检索词「养老院」的同义词。" in body and "养老机构、敬老院" in body
    row = SearchSynonym.objects.get(term="养老院")
    assert row.synonyms == ["养老机构", "敬老院"] and row.updated_by == bureau_admin
    assert synonym_map() == {"养老院": ["养老机构", "敬老院"]}  # in force for the next search
    (added,) = _audits()
    assert added.actor_id == bureau_admin.pk and added.object_id == str(row.pk)
    assert added.detail == {"term": "养老院", "synonyms": ["养老机构", "敬老院"], "previous": None}

    edit = reverse("catalog:synonym_edit", args=[row.pk])
    form = client.get(edit).content.decode()
    assert 'value="养老院"' in form and "养老机构，敬老院" in form
    answer = client.post(edit, {"term": "老年公寓", "synonyms": "养老机构\n养老公寓"}, follow=True)
    assert "已保存检索词「老年公寓」的同义词。" in answer.content.decode()
    row.refresh_from_db()
    assert (row.term, row.synonyms) == ("老年公寓", ["养老机构", "养老公寓"])
    assert synonym_map() == {"老年公寓": ["养老机构", "养老公寓"]}
    changed = _audits()[-1]
    assert changed.detail == {
        "term": "老年公寓",
        "synonyms": ["养老机构", "养老公寓"],
        "previous": ["养老机构", "敬老院"],
        "previous_term": "养老院",
    }

    answer = client.post(reverse("catalog:synonym_delete", args=[row.pk]), follow=True)
    assert "已删除检索词「老年公寓」的同义词。" in answer.content.decode()
    assert not SearchSynonym.objects.exists() and synonym_map() == {}
    (deleted,) = _audits("catalog.synonym.delete")
    assert deleted.actor_id == bureau_admin.pk
    assert deleted.detail == {"term": "老年公寓", "synonyms": ["养老机构", "养老公寓"]}


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"term": "", "synonyms": "养老机构"}, "term", "请填写检索词。"),
        ({"term": "养老院", "synonyms": ""}, "synonyms", "请至少填写一个同义词。"),
        ({"term": "养老<院>", "synonyms": "养老机构"}, "term", "检索词为 1 至 50 个汉字、字母或数字。"),
        ({"term": "院" * 51, "synonyms": "养老机构"}, "term", "检索词为 1 至 50 个汉字、字母或数字。"),
        ({"term": "养老院", "synonyms": "，、；"}, "synonyms", "请至少填写一个同义词。"),
        ({"term": "养老院", "synonyms": "养老院"}, "synonyms", "请至少填写一个同义词。"),
        ({"term": "养老院", "synonyms": "，".join(f"词{i}" for i in range(11))}, "synonyms", "同义词最多 10 个。"),
        ({"term": "养老院", "synonyms": "养老机构，<script>"}, "synonyms", "每个同义词为 1 至 50 个汉字、字母或数字。"),
        ({"term": "养老\x00院", "synonyms": "养老机构"}, "term", "检索词为 1 至 50 个汉字、字母或数字。"),
    ],
)
def test_bad_input_is_a_form_error_and_writes_nothing(client, bureau_admin, data, field, message):
    client.force_login(bureau_admin)
    answer = client.post(LIST, data)
    assert answer.status_code == 400
    assert message in answer.content.decode() and f'data-testid="error-{field}"' in answer.content.decode()
    assert not SearchSynonym.objects.exists() and not _audits()


def test_a_term_added_twice_is_refused_and_the_first_row_kept(client, bureau_admin):
    client.force_login(bureau_admin)
    client.post(LIST, {"term": "养老院", "synonyms": "养老机构"})
    answer = client.post(LIST, {"term": "养老院", "synonyms": "敬老院"})
    assert answer.status_code == 400 and "检索词「养老院」已有同义词，请修改该条。" in answer.content.decode()
    assert SearchSynonym.objects.get().synonyms == ["养老机构"] and len(_audits()) == 1
    other = client.post(LIST, {"term": "老年公寓", "synonyms": "养老公寓"})
    assert other.status_code == 302
    # renaming one term to another's: refused on the edit form too
    row = SearchSynonym.objects.get(term="老年公寓")
    answer = client.post(reverse("catalog:synonym_edit", args=[row.pk]), {"term": "养老院", "synonyms": "养老公寓"})
    assert answer.status_code == 400 and "检索词「养老院」已有同义词，请修改该条。" in answer.content.decode()
    row.refresh_from_db()
    assert row.term == "老年公寓" and len(_audits()) == 2


def test_the_reviewer_reads_the_table_without_its_forms(client, bureau_admin, reviewer):
    client.force_login(bureau_admin)
    client.post(LIST, {"term": "养老院", "synonyms": "养老机构"})
    row = SearchSynonym.objects.get()
    client.force_login(reviewer)
    page = client.get(LIST)
    body = page.content.decode()
    assert page.status_code == 200 and "养老院" in body and "养老机构" in body
    assert 'data-testid="synonym-form"' not in body and "confirm-delete" not in body
    assert client.post(LIST, {"term": "敬老院", "synonyms": "养老机构"}).status_code == 403
    assert client.get(reverse("catalog:synonym_edit", args=[row.pk])).status_code == 403
    assert client.post(reverse("catalog:synonym_delete", args=[row.pk])).status_code == 403
    assert SearchSynonym.objects.get().term == "养老院" and len(_audits()) == 1
    assert not _audits("catalog.synonym.delete")


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.DEPARTMENT_STAFF, Role.DATA_OFFICER, Role.AUDITOR])
def test_other_roles_are_refused_and_change_nothing(client, bureau_admin, role):
    client.force_login(bureau_admin)
    client.post(LIST, {"term": "养老院", "synonyms": "养老机构"})
    row = SearchSynonym.objects.get()
    client.force_login(user_with_role(role))
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {"term": "敬老院", "synonyms": "养老机构"}).status_code == 403
    assert (
        client.post(reverse("catalog:synonym_edit", args=[row.pk]), {"term": "x", "synonyms": "y"}).status_code == 403
    )
    assert client.post(reverse("catalog:synonym_delete", args=[row.pk])).status_code == 403
    assert list(SearchSynonym.objects.values_list("term", "synonyms")) == [("养老院", ["养老机构"])]
    assert len(_audits()) == 1 and not _audits("catalog.synonym.delete")


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    answer = client.get(LIST)
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_the_navigation_leads_the_admin_and_the_reviewer_to_the_page(client, bureau_admin, reviewer, officer):
    for user, shown in ((bureau_admin, True), (reviewer, True), (officer, False)):
        client.force_login(user)
        body = client.get(reverse("home")).content.decode()
        assert (f'href="{LIST}" data-nav="catalog-synonyms"' in body) is shown
