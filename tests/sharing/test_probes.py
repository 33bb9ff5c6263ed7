"""SECURITY.md 22.3: a department probing another department's grant by id, in any use mode, on the pages or
through the API, is refused 403 `not_holder` and the refusal is recorded as denied with the grant as
its object (audit log and usage log); only an id that does not exist is a 404. The refusal does not
tell a stranger which department holds the grant."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from portal.roles import Role
from sharing.models import GrantUse
from sharing.services import applications
from tests.sharing import factories
from tests.sharing.test_api import token_client

MODES = ("query", "compare", "statistics", "pull")


def _api_call(api, pk, mode):
    path = f"/api/sharing/grants/{pk}/{mode}/"
    if mode == "compare":
        return api.post(path, {}, format="json")  # an invalid body: the holder check comes first
    return api.get(path, {"district": "东城区"})


def _web_call(client, pk, mode):
    if mode == "compare":
        return client.post(reverse("sharing:grant_compare", args=[pk]), {"key": "id_number", "key_value": "1"})
    if mode == "pull":
        return client.get(reverse("sharing:grant_pull", args=[pk, "csv"]))
    return client.get(reverse(f"sharing:grant_{mode}", args=[pk]))


def _denied(grant, mode, user, channel):
    entries = AuditEntry.objects.filter(
        action=f"sharing.grant.{mode}",
        outcome="denied",
        actor_id=user.pk,
        object_type="sharing.grant",
        object_id=str(grant.pk),
    )
    uses = GrantUse.objects.filter(
        grant=grant, user=user, mode=mode, channel=channel, outcome="denied", detail__code="not_holder"
    )
    return entries.count(), uses.count()


@pytest.fixture
def grant(world):
    application = factories.apply(world, items=["id_number", "district"])
    return applications.application_approve(actor=world.provider_officer, application=application)


@pytest.mark.parametrize("mode", MODES)
def test_an_api_probe_of_another_departments_grant_is_a_recorded_403(world, grant, mode):
    stranger = factories.user_with_role(Role.DEPARTMENT_STAFF)
    response = _api_call(token_client(stranger), grant.pk, mode)
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["code"] == "not_holder" and world.department.name not in body["detail"]
    assert _denied(grant, mode, stranger, "api") == (1, 1)


@pytest.mark.parametrize("mode", MODES)
def test_a_page_probe_of_another_departments_grant_is_a_recorded_403(world, grant, mode, client):
    stranger = factories.user_with_role(Role.DATA_OFFICER)
    client.force_login(stranger)
    response = _web_call(client, grant.pk, mode)
    assert response.status_code == 403
    assert world.department.name not in response.content.decode()
    assert _denied(grant, mode, stranger, "web") == (1, 1)


@pytest.mark.parametrize("mode", MODES)
def test_the_provider_is_refused_as_not_holder_and_told_who_holds_it(world, grant, mode):
    response = _api_call(token_client(world.provider_officer), grant.pk, mode)
    assert response.status_code == 403 and response.json()["code"] == "not_holder"
    assert world.department.name in response.json()["detail"]
    assert _denied(grant, mode, world.provider_officer, "api") == (1, 1)


def test_a_public_user_is_refused_and_recorded_too(world, grant, public_user, client):
    client.force_login(public_user)
    assert _web_call(client, grant.pk, "query").status_code == 403
    assert _denied(grant, "query", public_user, "web") == (1, 1)


@pytest.mark.parametrize("mode", MODES)
def test_only_an_id_that_does_not_exist_is_a_404(world, grant, mode, client):
    stranger = factories.user_with_role(Role.DEPARTMENT_STAFF)
    missing = grant.pk + 10_000
    assert _api_call(token_client(stranger), missing, mode).status_code == 404
    client.force_login(stranger)
    assert _web_call(client, missing, mode).status_code == 404
    assert not GrantUse.objects.filter(user=stranger).exists()


def test_the_holder_still_uses_its_grant(world, grant):
    response = token_client(world.applicant).get(f"/api/sharing/grants/{grant.pk}/query/", {"district": "东城区"})
    assert response.status_code == 200 and response.json()["count"] == 7
