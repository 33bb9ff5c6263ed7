"""P2: the inbox badge on every page is kept per user, and a change to what waits retires it at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.services import entries
from portal import inbox
from portal.roles import Role
from tests.catalog.factories import draft
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_the_badge_is_counted_once_then_kept(officer, reviewer):
    entries.entry_submit(actor=officer, entry=draft(officer, name="资源甲"))
    assert inbox.inbox_count(reviewer) == 1
    with CaptureQueriesContext(connection) as captured:
        assert inbox.inbox_count(reviewer) == 1
    assert captured.captured_queries == []


def test_a_decision_drops_the_badge_on_the_next_page(officer, reviewer, client):
    first, second = draft(officer, name="资源甲"), draft(officer, name="资源乙")
    entries.entry_submit(actor=officer, entry=first)
    entries.entry_submit(actor=officer, entry=second)
    client.force_login(reviewer)
    assert 'data-testid="inbox-count">2<' in client.get(reverse("home")).content.decode()
    entries.entry_approve(actor=reviewer, entry=first)
    assert 'data-testid="inbox-count">1<' in client.get(reverse("home")).content.decode()
    entries.entry_return(actor=reviewer, entry=second, reasons="请补充")
    assert "inbox-count" not in client.get(reverse("home")).content.decode()
    assert inbox.inbox_count(officer) == 1  # the returned entry now waits for its department


def test_each_user_keeps_their_own_count(officer, reviewer):
    other_officer = user_with_role(Role.DATA_OFFICER)
    entry = draft(officer, name="资源甲")
    entries.entry_submit(actor=officer, entry=entry)
    entries.entry_return(actor=reviewer, entry=entry, reasons="请补充")
    assert inbox.inbox_count(officer) == 1
    assert inbox.inbox_count(other_officer) == 0
    assert inbox.inbox_count(user_with_role(Role.DATA_OFFICER, department=officer.department)) == 1


def test_the_badge_is_counted_when_redis_is_down(officer, reviewer, monkeypatch):
    import redis
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise redis.ConnectionError("down")

    for name in ("get_many", "get", "set", "add", "incr"):
        monkeypatch.setattr(cache, name, down)
    entries.entry_submit(actor=officer, entry=draft(officer, name="资源甲"))  # saves still succeed
    assert inbox.inbox_count(reviewer) == 1


def test_rows_no_source_counts_leave_the_badges_alone(django_capture_on_commit_callbacks):
    """A grant use (written on every query) does not retire the kept counts; an application does."""
    from django.core.cache import cache

    from sharing.services import applications, use
    from tests.sharing import factories

    w = factories.world()
    grant = applications.application_approve(actor=w.provider_officer, application=factories.apply(w))

    def generation():
        return cache.get(inbox.COUNTS.generation_key)

    assert inbox.inbox_count(w.provider_officer) == 0  # stores the generation
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        assert use.grant_query(actor=w.applicant, grant=grant, filters={"district": "西山县"})["count"] == 5
    assert generation() == before
    with django_capture_on_commit_callbacks(execute=True):
        factories.apply(w)
    assert generation() != before
    assert inbox.inbox_count(w.provider_officer) == 1
