"""Hechi art. 41 (责任认定, 可追溯): every delivery of shared data gets a receipt with the digest of the
exact bytes sent — query page, compare answer, statistics answer, pull file, over the API and the
pages; a refused use gets none; receipts are signed in Merkle roots by the beat task."""

import hashlib
import json

import pytest

from protection.signatures import merkle, tasks
from protection.signatures.models import Receipt, SignedRoot
from tests.protection.signatures.helpers import approved, delivered
from tests.sharing import factories
from tests.sharing.test_api import token_client


def sm3(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def test_a_query_page_gets_a_receipt_of_the_bytes_sent(world):
    grant = approved(world, items=["id_number", "district"])
    body, receipt = delivered(world, grant, district="西山县", page_size=2)
    assert receipt.digest == sm3(body) and receipt.size == len(body)
    assert (receipt.grant_id, receipt.mode, receipt.rows) == (grant.pk, "query", 2)
    assert receipt.requester_id == world.applicant.pk
    assert receipt.requester_department_id == world.applicant.department_id
    assert receipt.provider_department_id == grant.provider_department_id
    record = json.loads(receipt.body)
    assert record["digest"] == {"algorithm": "sm3", "value": sm3(body)} and record["grant"] == grant.pk


def test_compare_and_statistics_answers_get_receipts(world):
    api = token_client(world.applicant)
    compare = approved(world, items=["id_number", "district"], mode="compare")
    answer = api.post(
        f"/api/sharing/grants/{compare.pk}/compare/",
        {
            "key": "id_number",
            "key_value": world.rows[0]["id_number"],
            "values": {"district": world.rows[0]["district"]},
        },
        format="json",
    )
    assert answer.status_code == 200
    assert Receipt.objects.get(uid=answer["X-Receipt"]).digest == sm3(answer.content)
    stats = approved(world, items=["district", "amount"], mode="statistics")
    answer = api.get(f"/api/sharing/grants/{stats.pk}/statistics/", {"group_by": "district"})
    assert answer.status_code == 200
    receipt = Receipt.objects.get(uid=answer["X-Receipt"])
    assert receipt.digest == sm3(answer.content) and receipt.mode == "statistics"


@pytest.mark.django_db(transaction=True)  # the rows stream on a connection of their own
def test_a_pull_is_hashed_as_it_streams_and_receipted_when_the_last_chunk_left():
    world = factories.world()
    grant = approved(world, items=["district", "amount"], mode="pull")
    response = token_client(world.applicant).get(f"/api/sharing/grants/{grant.pk}/pull/", {"output": "csv"})
    assert response.streaming
    assert not Receipt.objects.filter(uid=response["X-Receipt"]).exists()  # nothing has left yet
    body = b"".join(response.streaming_content)
    receipt = Receipt.objects.get(uid=response["X-Receipt"])
    assert receipt.digest == sm3(body) and receipt.rows == len(world.rows) and receipt.complete


@pytest.mark.django_db(transaction=True)
def test_a_pull_cut_short_is_receipted_as_incomplete():
    world = factories.world()
    grant = approved(world, items=["district", "amount"], mode="pull")
    response = token_client(world.applicant).get(f"/api/sharing/grants/{grant.pk}/pull/", {"output": "csv"})
    chunks = iter(response.streaming_content)
    first = next(chunks)
    response.close()  # the client went away
    receipt = Receipt.objects.get(uid=response["X-Receipt"])
    assert not receipt.complete and receipt.digest == sm3(first)


@pytest.mark.django_db(transaction=True)
def test_a_pull_closed_before_its_first_chunk_is_receipted_as_incomplete_and_empty():
    world = factories.world()
    grant = approved(world, items=["district", "amount"], mode="pull")
    response = token_client(world.applicant).get(f"/api/sharing/grants/{grant.pk}/pull/", {"output": "csv"})
    response.close()
    receipt = Receipt.objects.get(uid=response["X-Receipt"])
    assert (receipt.complete, receipt.size, receipt.digest) == (False, 0, sm3(b""))


def test_the_query_page_in_the_browser_gets_a_receipt_too(world, client):
    grant = approved(world, items=["id_number", "district"])
    client.force_login(world.applicant)
    page = client.post(f"/sharing/grants/{grant.pk}/query/", {"f_district": "西山县"}, HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    receipt = Receipt.objects.get(uid=page["X-Receipt"])
    assert receipt.digest == sm3(page.content)
    assert json.loads(receipt.body)["channel"] == "web"


def test_a_refused_use_gets_no_receipt(world):
    grant = approved(world, items=["id_number", "district"])
    refused = token_client(world.applicant).get(f"/api/sharing/grants/{grant.pk}/query/", {"items": "amount"})
    assert refused.status_code == 403 and "X-Receipt" not in refused
    assert not Receipt.objects.filter(kind=Receipt.Kind.DELIVERY).exists()


def test_receipts_off_by_the_setting(world, settings):
    settings.SIGNATURES = {"RECEIPTS": False}
    grant = approved(world, items=["id_number", "district"])
    response = token_client(world.applicant).get(f"/api/sharing/grants/{grant.pk}/query/")
    assert response.status_code == 200 and "X-Receipt" not in response


def test_the_beat_task_signs_the_waiting_receipts_in_one_merkle_root(world):
    grant = approved(world, items=["id_number", "district"])
    receipts = [delivered(world, grant, page=n, page_size=2)[1] for n in (1, 2, 3)]
    assert tasks.seal_receipts.apply().get() == 1
    root = SignedRoot.objects.get()
    assert root.tree_size == len(Receipt.objects.all()) and root.kind == "batch"
    leaves = [merkle.leaf_hash("sm3", r.body.encode()) for r in Receipt.objects.order_by("leaf_index")]
    assert merkle.root("sm3", leaves).hex() == root.root_hash
    assert all(Receipt.objects.get(pk=r.pk).root_id == root.pk for r in receipts)
    assert tasks.seal_receipts.apply().get() == 0  # nothing left: idempotent
    delivered(world, grant)
    tasks.seal_receipts.apply()
    second = SignedRoot.objects.order_by("-number").first()
    assert json.loads(second.statement)["prev"] == root.root_hash  # roots are chained


def test_the_day_root_signs_the_days_batch_roots(world):
    grant = approved(world, items=["id_number", "district"])
    delivered(world, grant)
    tasks.seal_receipts.apply()
    delivered(world, grant)
    number = tasks.seal_day.apply().get()
    day = SignedRoot.objects.get(number=number)
    batches = SignedRoot.objects.filter(kind="batch").order_by("number")
    assert day.kind == "day" and day.tree_size == batches.count() == 2
    assert json.loads(day.statement)["batches"] == [b.number for b in batches]
    assert tasks.seal_day.apply().get() == number  # once a day
