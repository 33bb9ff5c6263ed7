"""The catalog's own row preview opens to a grant holder only when the grant already shows every
item in clear; narrower grants are used through the sharing pages, which keep to them."""

from catalog import selectors as catalog_selectors
from sharing.services import applications
from tests.sharing import factories

ALL = [i["key"] for i in factories.ITEMS]


def test_a_narrow_or_masked_grant_does_not_open_the_catalog_preview(world):
    applications.application_approve(
        actor=world.provider_officer, application=factories.apply(world, items=["district"])
    )
    assert not catalog_selectors.may_see_rows(world.applicant, world.entry)
    applications.application_approve(
        actor=world.provider_officer, application=factories.apply(world, items=ALL, mode="pull")
    )
    assert not catalog_selectors.may_see_rows(world.applicant, world.entry)  # id_number and name stay masked


def test_a_full_clear_grant_opens_the_catalog_preview(world):
    application = factories.apply(world, items=ALL, mode="pull", unmask_requested=["id_number", "name"])
    applications.application_approve(
        actor=world.provider_officer, application=application, unmasked_items=["id_number", "name"]
    )
    assert catalog_selectors.may_see_rows(world.applicant, world.entry)


def _preview(client, user, entry):
    from django.urls import reverse

    client.force_login(user)
    return client.get(reverse("catalog:detail", args=[entry.pk])).content.decode()


def test_the_bureau_sees_sensitive_items_masked_and_every_preview_is_audited(world, client):
    """The rows' own department and a full clear grant see them as loaded; the bureau sees the items
    flagged sensitive masked, in the page and the API; each read is in the provider's usage log."""
    from rest_framework.test import APIClient

    from audit.models import AuditEntry

    first = world.rows[0]
    own = _preview(client, world.provider_officer, world.entry)
    assert first["id_number"] in own and 'data-testid="preview-masked"' not in own
    bureau = _preview(client, world.reviewer, world.entry)
    assert first["id_number"] not in bureau and first["name"] not in bureau
    assert "*" * 14 + first["id_number"][-4:] in bureau and first["district"] in bureau
    assert 'data-testid="preview-masked"' in bureau and "身份证号、姓名" in bureau
    reads = AuditEntry.objects.filter(action="catalog.rows.preview").order_by("id")
    assert [(e.actor_id, e.owner_department_id, e.detail["masked"]) for e in reads] == [
        (world.provider_officer.pk, world.entry.department_id, []),
        (world.reviewer.pk, world.entry.department_id, ["id_number", "name"]),
    ]

    api = APIClient()
    api.force_authenticate(world.reviewer)
    rows = api.get(f"/api/catalog/entries/{world.entry.pk}/rows/").json()["rows"]
    assert rows[0]["id_number"] == "*" * 14 + first["id_number"][-4:] and rows[0]["district"] == first["district"]
    api.force_authenticate(world.provider_officer)
    assert api.get(f"/api/catalog/entries/{world.entry.pk}/rows/").json()["rows"][0]["id_number"] == first["id_number"]

    application = factories.apply(world, items=ALL, mode="pull", unmask_requested=["id_number", "name"])
    applications.application_approve(
        actor=world.provider_officer, application=application, unmasked_items=["id_number", "name"]
    )
    holder = _preview(client, world.applicant, world.entry)
    assert first["id_number"] in holder and 'data-testid="preview-masked"' not in holder
