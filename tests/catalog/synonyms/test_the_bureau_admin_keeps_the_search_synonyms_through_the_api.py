"""Issue 18 part 8: the synonyms API (/api/catalog/synonyms/) does what the page does, through the same
services: the bureau admin lists, adds, changes (PUT, PATCH) and deletes, each change audited; bad
input is a 400 with a Chinese message and writes nothing; the reviewer reads; others are refused."""

import json

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from catalog.synonyms import SearchSynonym, synonym_map
from portal.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

LIST = reverse("catalog-synonym-list")


def _detail(pk):
    return reverse("catalog-synonym-detail", args=[pk])


def _send(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_the_admin_adds_changes_and_deletes_through_the_api(client, bureau_admin):
    client.force_login(bureau_admin)
    answer = _send(client, "post", LIST, {"term": "养老院", "synonyms": ["养老机构", "敬老院"]})
    assert answer.status_code == 201
    created = answer.json()
    assert created["term"] == "养老院" and created["synonyms"] == ["养老机构", "敬老院"]
    assert created["updated_by"] == bureau_admin.username
    pk = created["id"]
    assert synonym_map() == {"养老院": ["养老机构", "敬老院"]}

    listed = client.get(LIST).json()
    assert [(r["id"], r["term"]) for r in listed] == [(pk, "养老院")]
    assert client.get(_detail(pk)).json()["synonyms"] == ["养老机构", "敬老院"]

    # PATCH: only the synonyms, as one string; the term stays
    answer = _send(client, "patch", _detail(pk), {"synonyms": "养老机构、养老公寓"})
    assert answer.status_code == 200 and answer.json()["synonyms"] == ["养老机构", "养老公寓"]
    assert answer.json()["term"] == "养老院"
    # PUT: the whole row, a new term
    answer = _send(client, "put", _detail(pk), {"term": "老年公寓", "synonyms": ["养老机构"]})
    assert answer.status_code == 200 and answer.json()["term"] == "老年公寓"
    assert synonym_map() == {"老年公寓": ["养老机构"]}

    saves = list(AuditEntry.objects.filter(action="catalog.synonym.save").order_by("id"))
    assert [e.detail["synonyms"] for e in saves] == [["养老机构", "敬老院"], ["养老机构", "养老公寓"], ["养老机构"]]
    assert saves[2].detail["previous_term"] == "养老院" and all(e.actor_id == bureau_admin.pk for e in saves)

    assert client.delete(_detail(pk)).status_code == 204
    assert not SearchSynonym.objects.exists() and synonym_map() == {}
    deleted = AuditEntry.objects.get(action="catalog.synonym.delete")
    assert deleted.actor_id == bureau_admin.pk and deleted.detail["term"] == "老年公寓"
    assert client.get(_detail(pk)).status_code == 404


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"synonyms": ["养老机构"]}, "term", None),
        ({"term": "养老院"}, "synonyms", None),
        ({"term": True, "synonyms": ["养老机构"]}, "term", None),
        ({"term": ["养老院"], "synonyms": ["养老机构"]}, "term", None),
        ({"term": "养老院", "synonyms": {"a": 1}}, "synonyms", "同义词应为字符串或字符串列表。"),
        ({"term": "养老院", "synonyms": ["养老机构", 3]}, "synonyms", "同义词应为字符串或字符串列表。"),
        ({"term": "养老院", "synonyms": []}, "synonyms", "请至少填写一个同义词。"),
        ({"term": "养老院", "synonyms": ["<b>机构</b>"]}, "synonyms", "每个同义词为 1 至 50 个汉字、字母或数字。"),
        ({"term": "院" * 5000, "synonyms": ["养老机构"]}, "term", None),
        ({"term": "养老院", "synonyms": [f"词{i}" for i in range(11)]}, "synonyms", "同义词最多 10 个。"),
        ({"term": "养老\u0000院", "synonyms": ["养老机构"]}, "term", None),
    ],
)
def test_bad_input_is_a_400_with_a_chinese_message_and_writes_nothing(client, bureau_admin, body, field, message):
    client.force_login(bureau_admin)
    answer = _send(client, "post", LIST, body)
    assert answer.status_code == 400, answer.content
    data = answer.json()
    assert field in data["errors"]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in data["errors"][field])
    if message:
        assert data["errors"][field] == [message]
    assert not SearchSynonym.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="catalog.synonym.").exists()


def test_a_broken_body_or_a_bad_id_is_never_a_500(client, bureau_admin):
    client.force_login(bureau_admin)
    row = _send(client, "post", LIST, {"term": "养老院", "synonyms": "养老机构"}).json()
    assert client.post(LIST, "{broken", content_type="application/json").status_code == 400
    assert _send(client, "patch", _detail(row["id"]), ["not", "an", "object"]).status_code == 400
    assert _send(client, "post", LIST, {"term": "养老院", "synonyms": "敬老院"}).json()["errors"] == {
        "term": ["检索词「养老院」已有同义词，请修改该条。"]
    }
    for bad in ("abc", "0", "-1", "1.5", "99999999999999999999"):
        assert client.get(f"/api/catalog/synonyms/{bad}/").status_code == 404
    assert SearchSynonym.objects.get().synonyms == ["养老机构"]


def test_the_reviewer_reads_and_other_roles_are_refused(client, bureau_admin, reviewer):
    client.force_login(bureau_admin)
    pk = _send(client, "post", LIST, {"term": "养老院", "synonyms": "养老机构"}).json()["id"]
    client.force_login(reviewer)
    assert client.get(LIST).status_code == 200 and client.get(_detail(pk)).status_code == 200
    for method, url in (("post", LIST), ("put", _detail(pk)), ("patch", _detail(pk))):
        assert _send(client, method, url, {"term": "敬老院", "synonyms": "养老机构"}).status_code == 403
    assert client.delete(_detail(pk)).status_code == 403
    for role in (Role.PUBLIC, Role.DEPARTMENT_STAFF, Role.DATA_OFFICER, Role.AUDITOR):
        client.force_login(user_with_role(role))
        assert client.get(LIST).status_code == 403 and client.get(_detail(pk)).status_code == 403
        assert _send(client, "post", LIST, {"term": "敬老院", "synonyms": "养老机构"}).status_code == 403
        assert client.delete(_detail(pk)).status_code == 403
    client.logout()
    assert client.get(LIST).status_code in (401, 403)
    assert list(SearchSynonym.objects.values_list("term", flat=True)) == ["养老院"]
    assert AuditEntry.objects.filter(action__startswith="catalog.synonym.").count() == 1
