"""Signatures journey (Hechi art. 40-41, Sixian art. 28): department B downloads its granted data from
the grant page, then the evidence package of that delivery; on the verify page the package and the
file check out, and an altered file is reported as not the data of this receipt. The provider
downloads the same evidence from its side."""

import pytest
from playwright.sync_api import expect

from protection.signatures.models import Receipt
from sharing.services import applications
from tests.browser.test_catalog_journey import sign_out
from tests.browser.test_journeys import sign_in
from tests.sharing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_download_data_and_its_evidence_then_verify_it_in_the_browser(page, tmp_path):
    w = factories.world()
    grant = applications.application_approve(
        actor=w.provider_officer, application=factories.apply(w, mode="pull", items=["district", "amount"])
    )

    sign_in(page, w.applicant.username)
    page.goto(f"/sharing/grants/{grant.pk}/")
    with page.expect_download() as pulled:
        page.click("[data-testid=pull-csv]")
    data = tmp_path / "data.csv"
    pulled.value.save_as(data)
    receipt = Receipt.objects.get(grant_id=grant.pk)
    assert receipt.rows == len(w.rows) and receipt.complete

    page.reload()
    expect(page.locator("[data-testid=grant-receipts] tbody tr")).to_have_count(1)
    with page.expect_download() as evidence:
        page.click("[data-testid=evidence-link]")
    package = tmp_path / "evidence.zip"
    evidence.value.save_as(package)

    page.click("text=校验证据包")
    page.set_input_files("#id_evidence", str(package))
    page.set_input_files("#id_delivered", str(data))
    page.click("button[type=submit]:has-text('校验')")
    expect(page.locator("[data-testid=verify-result]")).to_have_attribute("data-status", "ok")
    shot = tmp_path / "verify.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

    altered = tmp_path / "altered.csv"
    altered.write_bytes(data.read_bytes().replace(b"620.00", b"999.00"))
    page.set_input_files("#id_evidence", str(package))
    page.set_input_files("#id_delivered", str(altered))
    page.click("button[type=submit]:has-text('校验')")
    expect(page.locator("[data-testid=verify-result]")).to_have_attribute("data-status", "data_mismatch")
    expect(page.locator("[data-testid=verify-result]")).to_contain_text("另一次交付")
    sign_out(page)

    sign_in(page, w.provider_officer.username)
    page.goto(f"/sharing/grants/{grant.pk}/")
    with page.expect_download() as provider_copy:
        page.click("[data-testid=evidence-link]")
    assert provider_copy.value.suggested_filename == f"receipt-{receipt.uid}.zip"
