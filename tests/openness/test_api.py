"""O4: the public REST API lists, searches and pages through datasets and rows; API keys are created
and revoked (a revoked key is refused at once); every call is audited and counted per dataset."""

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEntry
from openness.models import UsageEvent
from openness.services import apikeys
from tests.openness.factories import approved_application, company, published_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def dataset(officer, reviewer):
    dataset, _v = published_dataset(officer, reviewer, rows=[company(n) for n in range(1, 26)])
    return dataset


def test_anonymous_callers_search_and_page_through_rows(api, dataset):
    listing = api.get("/api/open/datasets/", {"q": "企业"}).json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == dataset.pk
    assert {"department", "theme", "data_format", "open_type", "update_frequency"} <= set(listing["facets"])
    detail = api.get(f"/api/open/datasets/{dataset.pk}/").json()
    assert [i["key"] for i in detail["items"]][:2] == ["uscc", "company_name"]
    assert detail["items"][2]["masking"] == "保留前 1 位" and set(detail["downloads"]) == {"csv", "json", "xlsx"}
    page = api.get(f"/api/open/datasets/{dataset.pk}/rows/", {"page": 2, "page_size": 10}).json()
    assert page["count"] == 25 and len(page["rows"]) == 10 and page["rows"][0]["company_name"].endswith("11")
    one = api.get(f"/api/open/datasets/{dataset.pk}/rows/", {"company_name": "示范市华泰商贸有限公司7"}).json()
    assert one["count"] == 1 and one["rows"][0]["legal_rep"] == "张*"


def test_bad_input_gets_400_with_a_chinese_message(api, dataset):
    for params in ({"page_size": 5000}, {"nope": "x"}, {"established": "不是日期"}, {"page": "a"}):
        response = api.get(f"/api/open/datasets/{dataset.pk}/rows/", params)
        assert response.status_code == 400, params
        body = response.json()
        assert body["code"] == "invalid" and any("\u4e00" <= ch <= "\u9fff" for ch in str(body))
    assert api.get("/api/open/datasets/", {"sort": "bad"}).status_code == 400
    assert api.get("/api/open/datasets/999999/").status_code == 404


def test_calls_are_audited_and_counted_per_dataset(api, dataset):
    api.get(f"/api/open/datasets/{dataset.pk}/", REMOTE_ADDR="198.51.100.4")
    api.get(f"/api/open/datasets/{dataset.pk}/rows/")
    api.get("/api/open/datasets/")
    assert UsageEvent.objects.filter(dataset=dataset, kind="api").count() == 2
    calls = AuditEntry.objects.filter(action="openness.api.call")
    assert calls.count() == 3 and calls.filter(client_ip="198.51.100.4").exists()


def test_a_registered_user_creates_a_key_and_a_revoked_key_is_refused_at_once(api, dataset, public_user):
    api.force_authenticate(public_user)
    created = api.post("/api/open/keys/", {"name": "科研项目"}, format="json")
    assert created.status_code == 201
    secret, key_id = created.json()["secret"], created.json()["id"]
    assert secret.startswith("od_") and "secret" not in api.get("/api/open/keys/").json()[0]
    api.force_authenticate(None)
    caller = APIClient()
    assert caller.get("/api/open/datasets/", HTTP_X_API_KEY=secret).status_code == 200
    assert caller.get("/api/open/datasets/", HTTP_AUTHORIZATION=f"ApiKey {secret}").status_code == 200
    assert AuditEntry.objects.filter(action="openness.api.call", actor_id=public_user.pk).exists()
    api.force_authenticate(public_user)
    assert api.post(f"/api/open/keys/{key_id}/revoke/").status_code == 200
    refused = caller.get("/api/open/datasets/", HTTP_X_API_KEY=secret)
    assert refused.status_code == 401 and refused.json()["detail"] == "接口密钥无效或已撤销。"
    assert AuditEntry.objects.filter(action="openness.api.call", outcome="denied").exists()
    assert caller.get("/api/open/datasets/", HTTP_X_API_KEY=secret[:-2] + "xx").status_code == 401


def test_only_public_users_create_keys_and_only_their_own_are_revoked(api, staff, public_user, make_user):
    from portal.roles import Role

    api.force_authenticate(staff)
    assert api.post("/api/open/keys/", {"name": "x"}, format="json").status_code == 403
    key, _secret = apikeys.apikey_create(actor=public_user, name="甲")
    api.force_authenticate(make_user(Role.PUBLIC))
    assert api.post(f"/api/open/keys/{key.pk}/revoke/").status_code == 404


def test_rows_of_on_application_datasets_need_an_approved_application(api, officer, reviewer, public_user):
    dataset, _v = published_dataset(officer, reviewer, open_type="on_application", open_condition="须申请")
    _key, secret = apikeys.apikey_create(actor=public_user, name="甲")
    refused = api.get(f"/api/open/datasets/{dataset.pk}/rows/", HTTP_X_API_KEY=secret)
    assert refused.status_code == 403 and refused.json()["code"] == "application_required"
    approved_application(dataset, public_user, officer)
    assert api.get(f"/api/open/datasets/{dataset.pk}/rows/", HTTP_X_API_KEY=secret).status_code == 200


def test_the_negative_list_is_public_in_the_api(api, officer, reviewer):
    from tests.catalog.factories import published

    published(
        officer,
        reviewer,
        name="违法犯罪记录信息",
        share_type="not_shared",
        open_type="not_open",
        legal_basis="《中华人民共和国刑事诉讼法》第五十四条",
    )
    body = api.get("/api/open/negative-list/").json()
    assert body["count"] == 1 and body["results"][0]["legal_basis"].startswith("《中华人民共和国刑事诉讼法》")


def test_publishing_through_the_api(api, officer, reviewer):
    from tests.openness.factories import SAFE_RULES, entry_with_rows, make_id

    entry = entry_with_rows(officer, [company(1, note=f"身份证{make_id(3)}")], reviewer=reviewer)
    api.force_authenticate(officer)
    refused = api.post("/api/open/versions/", {"entry": entry.pk, "items": SAFE_RULES}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "unmasked_personal_data"
    assert "备注" in refused.json()["detail"]
    items = [i if i["key"] != "note" else {"key": "note", "rule": "hide"} for i in SAFE_RULES]
    created = api.post("/api/open/versions/", {"entry": entry.pk, "items": items}, format="json")
    assert created.status_code == 201, created.json()
    api.force_authenticate(reviewer)
    queue = api.get("/api/open/versions/", {"status": "submitted"}).json()
    assert [v["id"] for v in queue] == [created.json()["id"]]
    approved = api.post(f"/api/open/versions/{created.json()['id']}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "published"


def test_the_openapi_schema_stays_valid(api, settings, staff):
    api.force_authenticate(staff)  # issue 17 part 8: the internal API's schema is for signed-in staff
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert "/api/open/datasets/{id}/rows/" in schema["paths"]
    assert "openDataApiKey" in schema["components"]["securitySchemes"]
