"""The catalog's own row preview opens to a grant holder only when the grant already shows every
item in clear; narrower grants are used through the sharing pages, which keep to them."""
from catalog import selectors as catalog_selectors
from sharing.services import applications
from tests.sharing import factories

ALL = [i["key"] for i in factories.ITEMS]


def test_a_narrow_or_masked_grant_does_not_open_the_catalog_preview(world):
    applications.application_approve(actor=world.provider_officer,
                                     application=factories.apply(world, items=["district"]))
    assert not catalog_selectors.may_see_rows(world.applicant, world.entry)
    applications.application_approve(actor=world.provider_officer,
                                      application=factories.apply(world, items=ALL, mode="pull"))
    assert not catalog_selectors.may_see_rows(world.applicant, world.entry)  # id_number and name stay masked


def test_a_full_clear_grant_opens_the_catalog_preview(world):
    application = factories.apply(world, items=ALL, mode="pull", unmask_requested=["id_number", "name"])
    applications.application_approve(actor=world.provider_officer, application=application,
                                      unmasked_items=["id_number", "name"])
    assert catalog_selectors.may_see_rows(world.applicant, world.entry)
