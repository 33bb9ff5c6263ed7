"""What one grant query costs the database: a bounded number of statements per API call, and the
number of matching rows counted once per table and filter (a data table never changes once loaded;
a new load is a new table, with counts of its own)."""

import redis
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import datastore
from catalog.datastore import usage
from tests.catalog.test_datastore_support import PEOPLE, person, write_csv
from tests.sharing import factories
from tests.sharing.test_api import approved, token_client

# token, role permissions, the grant's visibility, FOR SHARE, the grant, the latest load, the entry's
# published version and its sensitive items (masking), the table's OID, the page, the use, the
# actor's roles and the audit entry (audit), the audit middleware's check; and, in a test's
# transaction, SAVEPOINT / RELEASE around the use
STATEMENTS_PER_QUERY = 16


def _query(api, grant, district="东城区"):
    return api.get(f"/api/sharing/grants/{grant.pk}/query/", {"district": district, "page_size": 2})


def _counts(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "count(*)" in q["sql"] and '"datastore"' in q["sql"]]


def test_a_query_counts_the_matching_rows_once_then_takes_the_count_from_the_cache(
    world, django_assert_max_num_queries
):
    grant = approved(world, items=["id_number", "district"])
    api = token_client(world.applicant)
    with CaptureQueriesContext(connection) as first:
        answer = _query(api, grant)
    assert answer.status_code == 200 and answer.json()["count"] == 7
    assert len(_counts(first)) == 1
    with django_assert_max_num_queries(STATEMENTS_PER_QUERY) as again:
        answer = _query(api, grant)
    assert answer.status_code == 200 and answer.json()["count"] == 7 and len(answer.json()["rows"]) == 2
    assert _counts(again) == []
    # another filter is another count
    other = _query(api, grant, district="西山县")
    assert other.json()["count"] == 5


def test_the_count_follows_a_new_load(world):
    grant = approved(world, items=["id_number", "district"])
    api = token_client(world.applicant)
    assert _query(api, grant).json()["count"] == 7
    factories.load(world.provider_officer, world.entry, factories.people_rows(3))  # 东城区 x 3
    answer = _query(api, grant).json()
    assert (answer["count"], answer["data_version"], len(answer["rows"])) == (3, 2, 2)


def test_a_table_made_again_under_an_old_name_is_counted_afresh(tmp_path, db):
    """A restored backup or a load rolled back and run again can make a table under a name that
    was counted before: the count is keyed by the table itself (its OID), not by its name."""
    table = "t_use_cost_again"
    columns = PEOPLE[:2]
    for rows in (5, 2):
        path = write_csv(
            tmp_path / f"{rows}.csv", [person(n)[:2] for n in range(rows)], header=[c.name for c in columns]
        )
        assert datastore.load_file(path, filename="p.csv", columns=columns, table=table).ok
        assert usage.count(table, columns) == rows
        assert usage.count(table, columns) == rows
        datastore.drop_table(table)


def test_without_the_cache_the_rows_are_counted(world, monkeypatch):
    grant = approved(world, items=["id_number", "district"])
    api = token_client(world.applicant)

    def down(*args, **kwargs):
        raise redis.ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            answer = _query(api, grant)
        assert answer.status_code == 200 and answer.json()["count"] == 7
        assert len(_counts(captured)) == 1
