"""C5 facets: the total and the six facets counted in one statement, equal to separate counts for every
visibility scope; the search page's statements bounded; cached counts never cross departments and
retire when entries change, while the list of results is always read fresh."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog import selectors
from catalog.services import entries
from portal.roles import Role
from tests.catalog.factories import draft, published
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

CONDITIONAL = {
    "share_type": "conditional",
    "share_condition": "仅用于核验",
    "share_modes": ["query"],
    "legal_basis": "《数据安全法》第三十八条",
    "open_type": "on_application",
}
NOT_SHARED = {
    "share_type": "not_shared",
    "legal_basis": "《某法》第三条",
    "open_type": "not_open",
    "open_condition": "涉密",
}


@pytest.fixture
def world(officer, reviewer):
    """Two departments' entries in every state the search treats differently."""
    other_officer = user_with_role(Role.DATA_OFFICER)
    mine, theirs = officer.department, other_officer.department
    published(officer, reviewer, name="企业营业执照信息", category="base", base_kind="legal_person", theme="")
    published(officer, reviewer, name="营业执照变更记录", theme="信用体系", data_format="spreadsheet", **CONDITIONAL)
    published(officer, reviewer, name="营业执照核查线索", theme="市场监管", **NOT_SHARED)
    draft(officer, name="营业执照草稿资源", theme="草稿主题", data_format="document")
    revised = published(officer, reviewer, name="营业执照年报", theme="民生服务")
    revision = entries.entry_revise(actor=officer, entry=revised)
    revised.refresh_from_db()
    entries.version_update(actor=officer, entry=revised, content={**_content(revision), "theme": "修订主题"})
    withdrawn = published(officer, reviewer, name="营业执照旧目录")
    entries.entry_withdraw(actor=officer, entry=withdrawn, reason="职责调整")
    published(other_officer, reviewer, name="个体户营业执照", theme="市场监管", **CONDITIONAL)
    draft(other_officer, name="营业执照他部门草稿", theme="他部门主题")
    published(other_officer, reviewer, name="行政处罚决定", theme="信用体系")
    return {"mine": mine, "theirs": theirs, "officer": officer, "other_officer": other_officer}


def _content(version):
    from catalog.rules import CONTENT_FIELDS

    return {f: getattr(version, f) for f in CONTENT_FIELDS}


def _separate_counts(qs):
    """The counts as one query per facet and a COUNT(*), as the page ran them before."""
    facets = {}
    for facet in selectors.FACETS:
        column = "entry__department" if facet == "department" else facet
        rows = qs.order_by().values(column).annotate(n=Count("id"))
        facets[facet] = {row[column]: row["n"] for row in rows if row[column] not in (None, "")}
    return qs.count(), facets


def _users(world, reviewer):
    return {
        "bureau": reviewer,
        "my department": user_with_role(Role.DEPARTMENT_STAFF, department=world["mine"]),
        "their department": user_with_role(Role.DEPARTMENT_STAFF, department=world["theirs"]),
        "public": user_with_role(Role.PUBLIC),
    }


@pytest.mark.parametrize(
    "q, filters",
    [
        ("", {}),
        ("营业执照", {}),
        ("营业执照", {"share_type": "conditional"}),
        ("", {"theme": "市场监管"}),
        ("不存在的词", {}),
    ],
)
def test_one_statement_counts_what_separate_queries_count_for_every_scope(world, reviewer, q, filters):
    for label, user in _users(world, reviewer).items():
        result = selectors.search_versions(user, q=q, filters=filters)
        total, facets = _separate_counts(result.versions)
        assert result.total == total == len(list(result.versions)), label
        assert {f: dict(values) for f, values in result.facets.items()} == facets, label


def test_drafts_revisions_and_not_shared_entries_count_only_where_they_are_visible(world, reviewer):
    users = _users(world, reviewer)
    themes = {label: dict(selectors.search_versions(u, q="营业执照").facets["theme"]) for label, u in users.items()}
    assert "草稿主题" in themes["my department"] and "草稿主题" in themes["bureau"]
    assert "草稿主题" not in themes["their department"] and "草稿主题" not in themes["public"]
    # the revision in progress replaces the published version for its department only
    assert "修订主题" in themes["my department"] and "民生服务" not in themes["my department"]
    assert "民生服务" in themes["their department"] and "修订主题" not in themes["their department"]
    shares = dict(selectors.search_versions(users["their department"], q="营业执照").facets["share_type"])
    # the withdrawn entry is gone; their own draft counts
    assert shares == {"unconditional": 3, "conditional": 2, "not_shared": 1}


def test_search_page_runs_the_full_text_match_twice_then_once(world, client):
    client.force_login(user_with_role(Role.DEPARTMENT_STAFF, department=world["theirs"]))
    url = reverse("catalog:list")
    params = {"q": "营业执照", "share_type": "conditional"}
    with CaptureQueriesContext(connection) as first:
        body = client.get(url, params).content.decode()
    assert "营业执照变更记录" in body and "共 2 条" in body
    matches = [q["sql"] for q in first.captured_queries if "@@" in q["sql"]]
    assert len(matches) == 2  # the counts (total and six facets) and the page of results
    assert not any('COUNT(*) AS "__count"' in sql for sql in matches)
    with CaptureQueriesContext(connection) as again:
        assert "营业执照变更记录" in client.get(url, params).content.decode()
    assert len([q for q in again.captured_queries if "@@" in q["sql"]]) == 1  # the counts came from the cache
    # session, user, permissions, counts, department names, inbox, notifications, roles, results, their
    # departments, session save (was 19: a COUNT(*) and six facet queries besides)
    assert len(again.captured_queries) < len(first.captured_queries) <= 13


def test_catalog_list_without_a_word_sorts_the_newest_by_the_index(world, client):
    client.force_login(user_with_role(Role.DEPARTMENT_STAFF, department=world["theirs"]))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("catalog:list")).status_code == 200
    page = next(
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "catalog_entryversion"."id"')
        and 'ORDER BY "catalog_entryversion"."publish_date" DESC' in q["sql"]
    )
    assert "portal_department" not in page  # joined to all visible versions it kept the sort unbounded
    assert "search_vector" not in page


def test_cached_counts_never_cross_departments(world, client):
    mine = user_with_role(Role.DEPARTMENT_STAFF, department=world["mine"])
    theirs = user_with_role(Role.DEPARTMENT_STAFF, department=world["theirs"])
    for first, second in ((mine, theirs), (theirs, mine)):
        selectors.FACET_COUNTS.forget()
        seen = {u: dict(selectors.search_versions(u, q="营业执照").facets["theme"]) for u in (first, second)}
        assert "草稿主题" in seen[mine] and "修订主题" in seen[mine] and "他部门主题" not in seen[mine]
        assert "他部门主题" in seen[theirs] and "草稿主题" not in seen[theirs] and "修订主题" not in seen[theirs]
    # the same on the page, whose total comes with the facets
    client.force_login(theirs)
    body = client.get(reverse("catalog:list"), {"q": "营业执照", "category": "department"}).content.decode()
    assert "共 5 条" in body and "他部门主题" in body and "草稿主题" not in body
    client.force_login(mine)
    body = client.get(reverse("catalog:list"), {"q": "营业执照", "category": "department"}).content.decode()
    assert "共 5 条" in body and "草稿主题" in body and "他部门主题" not in body


def test_colleagues_of_one_department_share_the_cached_counts(world):
    first = user_with_role(Role.DEPARTMENT_STAFF, department=world["mine"])
    colleague = user_with_role(Role.DEPARTMENT_STAFF, department=world["mine"])
    selectors.search_versions(first, q="营业执照")
    with CaptureQueriesContext(connection) as captured:
        selectors.search_versions(colleague, q="营业执照")
    assert not any("GROUPING SETS" in q["sql"] for q in captured.captured_queries)


def test_a_change_to_an_entry_retires_the_cached_counts(world, reviewer):
    staff = user_with_role(Role.DEPARTMENT_STAFF, department=world["theirs"])
    before = selectors.search_versions(staff, q="营业执照")
    assert before.total == 6
    published(world["officer"], reviewer, name="营业执照新目录")
    assert selectors.search_versions(staff, q="营业执照").total == 7
    entry = selectors.search_versions(staff, q="营业执照新目录").versions[0].entry
    entries.entry_withdraw(actor=world["officer"], entry=entry, reason="合并")
    assert selectors.search_versions(staff, q="营业执照").total == 6


def test_counts_may_lag_a_change_made_outside_the_orm_but_the_results_never_do(world):
    """Raw SQL sends no signal: the counts may be up to FACET_COUNTS.seconds old, the list is fresh."""
    staff = user_with_role(Role.DEPARTMENT_STAFF, department=world["theirs"])
    assert selectors.search_versions(staff, q="营业执照", filters={"theme": "市场监管"}).total == 2
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_entryversion SET theme = '改过的主题' WHERE name = '个体户营业执照'")
    result = selectors.search_versions(staff, q="营业执照", filters={"theme": "市场监管"})
    assert [v.name for v in result.versions] == ["营业执照核查线索"]
    assert result.total == 2  # stale, within the cache's time limit
    assert selectors.FACET_COUNTS.seconds <= 60
    selectors.FACET_COUNTS.forget()
    assert selectors.search_versions(staff, q="营业执照", filters={"theme": "市场监管"}).total == 1


def test_counts_are_computed_when_redis_is_down(world, monkeypatch):
    import redis
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise redis.ConnectionError("down")

    for name in ("get_many", "get", "set", "add", "incr"):
        monkeypatch.setattr(cache, name, down)
    staff = user_with_role(Role.DEPARTMENT_STAFF, department=world["theirs"])
    assert selectors.search_versions(staff, q="营业执照").total == 6
    published(world["officer"], name="营业执照断线时登记")  # a save still succeeds
