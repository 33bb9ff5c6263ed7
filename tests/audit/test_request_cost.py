"""What auditing adds to a request: no statement of its own beyond the entry's INSERT once the entry's
transaction has committed (the middleware's check that it survived is skipped, the actor's roles
come from the permission lookup), and still a fallback entry whenever the request's entries were
rolled back. And what a grant query costs in all: its grant read once with what masking needs.

The middleware learns of a commit from an on_commit callback, which never runs inside a test's
transaction: the tests that need a real commit are transactional."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path

from audit.models import AuditEntry
from audit.services import record
from portal.models import User
from portal.permissions import can
from portal.roles import Role, role_group_name
from tests.sharing import factories
from tests.sharing.test_api import approved, token_client


def recorded_in_a_transaction(request):
    with transaction.atomic():
        record("demo.change", request=request)
    return HttpResponse("ok")


def recorded_in_autocommit(request):
    record("demo.change", request=request)
    return HttpResponse("ok")


def refused_after_recording(request):
    with transaction.atomic():
        record("demo.change", request=request)
        raise PermissionDenied


def savepoint_rolled_back_in_a_committed_transaction(request):
    with transaction.atomic():
        try:
            with transaction.atomic():
                record("demo.change", request=request)
                raise ValueError("refused")
        except ValueError:
            pass
    return HttpResponse("ok")


urlpatterns = [
    path("in-transaction/", recorded_in_a_transaction, name="in-transaction"),
    path("autocommit/", recorded_in_autocommit, name="autocommit"),
    path("refused/", refused_after_recording, name="refused"),
    path("savepoint/", savepoint_rolled_back_in_a_committed_transaction, name="savepoint"),
]


@pytest.fixture
def demo_urls(settings):
    settings.ROOT_URLCONF = __name__


def _audit_reads(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and '"audit_auditentry"' in q["sql"]
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", ["/in-transaction/", "/autocommit/"])
def test_an_entry_whose_transaction_committed_spares_the_middleware_its_check(client, staff, demo_urls, route):
    client.force_login(staff)
    with CaptureQueriesContext(connection) as captured:
        assert client.post(route, HTTP_X_REQUEST_ID="req-cost-commit").status_code == 200
    assert _audit_reads(captured) == []
    assert list(AuditEntry.objects.filter(request_id="req-cost-commit").values_list("action", flat=True)) == [
        "demo.change"
    ]


@pytest.mark.django_db(transaction=True)
def test_an_entry_rolled_back_with_its_transaction_still_leads_to_the_fallback_entry(client, staff, demo_urls):
    client.force_login(staff)
    assert client.post("/refused/", HTTP_X_REQUEST_ID="req-cost-refused").status_code == 403
    entry = AuditEntry.objects.get(request_id="req-cost-refused")
    assert (entry.action, entry.outcome, entry.actor_id) == ("request.denied", "denied", staff.pk)
    assert not AuditEntry.objects.filter(action="demo.change").exists()


@pytest.mark.django_db(transaction=True)
def test_an_entry_rolled_back_with_its_savepoint_still_leads_to_the_fallback_entry(client, staff, demo_urls):
    """The outer transaction commits; the entry's savepoint did not, and neither did its callback."""
    client.force_login(staff)
    assert client.post("/savepoint/", HTTP_X_REQUEST_ID="req-cost-savepoint").status_code == 200
    entry = AuditEntry.objects.get(request_id="req-cost-savepoint")
    assert (entry.action, entry.outcome, entry.object_id) == ("request.post", "success", "savepoint")
    assert not AuditEntry.objects.filter(action="demo.change").exists()


def test_the_permission_lookup_gives_the_roles_too(staff, django_assert_num_queries):
    """Every role group counts, with permissions or without, in User.roles' order."""
    from django.contrib.auth.models import Group

    empty = Group.objects.get(name=role_group_name(Role.AUDITOR))
    empty.permissions.clear()
    staff.groups.add(empty)
    user = User.objects.get(pk=staff.pk)
    assert can(user, "sharing.use_grant")
    with django_assert_num_queries(0):
        roles = user.roles
    assert roles == User.objects.get(pk=staff.pk).roles == [Role.AUDITOR, Role.DEPARTMENT_STAFF]


@pytest.mark.django_db(transaction=True)
def test_a_grant_query_reads_roles_and_entry_once_and_leaves_the_middleware_nothing_to_check():
    world = factories.world()
    grant = approved(world, items=["id_number", "district"])
    api = token_client(world.applicant)

    def query():
        return api.get(
            f"/api/sharing/grants/{grant.pk}/query/",
            {"district": "东城区", "page_size": 2},
            HTTP_X_REQUEST_ID="req-cost-query",
        )

    assert query().status_code == 200  # the first counts the matching rows; the count is then cached
    with CaptureQueriesContext(connection) as captured:
        assert query().status_code == 200
    statements = [q["sql"] for q in captured.captured_queries]
    assert _audit_reads(captured) == []
    # the roles come with the permissions (one statement on the role groups, not two)
    assert len([s for s in statements if s.startswith("SELECT") and '"auth_group"' in s]) == 1
    # the entry and its sensitive items (masking) were read with the grant
    assert [s for s in statements if 'FROM "catalog_resourceentry"' in s] == []
    assert [s for s in statements if s.startswith('SELECT "catalog_dataitem"')] == []
    # token, role permissions (and roles), visibility, BEGIN, FOR SHARE, the grant with its entry and
    # sensitive items, the latest load, the table's OID, the page, the use, the audit entry, COMMIT;
    # and since the fix of SECURITY.md 14.6 the grant's quota lock (pg_advisory_xact_lock) and today's use count;
    # and the delivery's receipt (SECURITY.md "Signatures and receipts": one insert, the signature comes
    # with the minute's Merkle root); an incident hold check costs nothing while no hold is active
    assert len(statements) <= 15, "\n".join(statements)
    assert [s for s in statements if "incidents_containment" in s] == []
    entry = AuditEntry.objects.filter(request_id="req-cost-query").order_by("-id").first()
    assert (entry.action, entry.actor_id, entry.role) == (
        "sharing.grant.query",
        world.applicant.pk,
        Role.DEPARTMENT_STAFF.value,
    )
