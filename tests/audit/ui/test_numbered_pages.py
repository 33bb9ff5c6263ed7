"""Issue 19 part 8: numbered pages (第 n 页, prev/next, a few numbers) over a count that stops at a cap:
the partitioned log is never counted whole on a page load (A4)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from audit.pagination import numbered_page
from audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(officer):
    return [record("catalog.entry.update", actor=officer, detail={"n": i}) for i in range(120)]


def _rows(page):
    return [int(x) for x in re.findall(r'data-entry="(\d+)"', page)]


def test_pages_are_numbered_with_previous_and_next(client, auditor, many):
    client.force_login(auditor)
    url = reverse("audit_log")
    first = client.get(url, {"action": "catalog.entry.update"}).content.decode()
    assert _rows(first) == [e.pk for e in reversed(many)][:50]
    assert "共 120 条记录 · 第 1 页" in first
    assert 'data-testid="page-2"' in first and 'data-testid="page-3"' in first
    assert 'data-testid="previous-page"' not in first
    third = client.get(url, {"action": "catalog.entry.update", "page": "3"}).content.decode()
    assert _rows(third) == [e.pk for e in reversed(many)][100:]
    assert "第 3 页" in third and 'data-testid="previous-page"' in third and 'data-testid="next-page"' not in third


@pytest.mark.parametrize("page", ["0", "4", "abc", "-1", "9999999"])
def test_a_page_out_of_range_is_a_400_with_a_chinese_message(client, auditor, many, page):
    client.force_login(auditor)
    response = client.get(reverse("audit_log"), {"action": "catalog.entry.update", "page": page})
    assert response.status_code == 400
    assert "分页参数无效" in response.content.decode()


def test_the_count_stops_at_the_cap_and_the_last_counted_page_hands_over_a_cursor(many):
    queryset = AuditEntry.objects.filter(action="catalog.entry.update")
    with CaptureQueriesContext(connection) as queries:
        page = numbered_page(queryset, page=2, size=50, cap=100)
    count_sql = next(q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper())
    assert "LIMIT 101" in count_sql
    assert (page.count, page.more, page.last_counted) == (100, True, 2)
    assert page.next_cursor is not None and page.has_next
    assert page.numbers() == [1, 2]


def test_the_page_numbers_skip_with_a_gap():
    from audit.pagination import NumberedPage

    page = NumberedPage(rows=[], number=10, count=1000, more=False, last_counted=20, size=50)
    assert page.numbers() == [1, None, 8, 9, 10, 11, 12, None, 20]
