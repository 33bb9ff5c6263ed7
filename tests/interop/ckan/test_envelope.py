"""Issue 17 part 3: CKAN's action API over open data only, in CKAN's envelope, with CKAN's error
types and codes (409 Validation Error, 404 Not Found Error, 403 Authorization Error), GET and POST."""

import json

import pytest
from django.test import Client

from audit.models import AuditEntry
from openness.services import apikeys
from tests.openness.factories import approved_application, company, publish_upload, published_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(officer, reviewer):
    dataset, _v = published_dataset(officer, reviewer, rows=[company(n) for n in range(1, 26)], theme="市场监管")
    return dataset


def call(action, method="get", **params):
    client = Client()
    if method == "post":
        return client.post(f"/api/3/action/{action}", json.dumps(params), content_type="application/json")
    return client.get(f"/api/3/action/{action}", params)


def test_package_show_answers_in_ckans_envelope(dataset):
    answer = call("package_show", id=f"dataset-{dataset.pk}")
    body = answer.json()
    assert answer.status_code == 200 and body["success"] is True and "help" in body
    package = body["result"]
    assert package["name"] == f"dataset-{dataset.pk}" and package["organization"]["name"] == dataset.department.code
    assert package["groups"][0]["name"] == "市场监管" and {"name": "企业名称"} in [
        {"name": t["name"]} for t in package["tags"]
    ]
    csv = next(r for r in package["resources"] if r["format"] == "CSV")
    assert csv["datastore_active"] is True and csv["url"].endswith(f"/open/datasets/{dataset.pk}/download/csv/")
    assert any(r["url"].endswith("/datapackage.json") for r in package["resources"])
    assert {"key": "datapackage", "value": package["resources"][-1]["url"]} in package["extras"]
    # POST with a JSON body, and CKAN's other address, answer the same
    assert call("package_show", "post", id=str(dataset.pk)).json()["result"]["id"] == str(dataset.pk)
    assert Client().get("/api/action/status_show").json()["result"]["extensions"] == ["datastore"]
    assert AuditEntry.objects.filter(action="openness.api.call", detail__endpoint="ckan.package_show").count() == 2


def test_errors_carry_ckans_types_and_codes(dataset, officer, reviewer):
    missing = call("package_show", id="dataset-987654")
    assert missing.status_code == 404 and missing.json()["error"]["__type"] == "Not Found Error"
    assert missing.json()["success"] is False
    for action, params in (
        ("package_show", {}),
        ("package_search", {"rows": "abc"}),
        ("package_search", {"rows": 1001}),
        ("package_search", {"start": -1}),
        ("package_search", {"sort": "nope desc"}),
        ("package_search", {"fq": "secret_field:1"}),
        ("package_search", {"fq": "((("}),
        ("package_search", {"facet.field": "not json ["}),
        ("package_search", {"facet.field": '["tags"]'}),
        ("datastore_search", {"resource_id": f"{dataset.pk}-csv", "filters": '{"nope": "x"}'}),
        ("datastore_search", {"resource_id": f"{dataset.pk}-csv", "filters": '{"established": "不是日期"}'}),
        ("datastore_search", {"resource_id": f"{dataset.pk}-csv", "limit": 100000}),
        ("datastore_search", {"resource_id": f"{dataset.pk}-csv", "sort": "nope"}),
        ("datastore_search", {"resource_id": f"{dataset.pk}-csv", "q": "企业"}),
        ("datastore_search", {"resource_id": f"{dataset.pk}-csv", "fields": "nope"}),
        ("datastore_search", {"resource_id": f"{dataset.pk}-csv", "filters": "[1]"}),
        ("organization_list", {"all_fields": "maybe"}),
    ):
        answer = call(action, **params)
        assert answer.status_code == 409, (action, params, answer.content)
        assert answer.json()["error"]["__type"] == "Validation Error" and answer.json()["success"] is False
    bad_json = Client().post("/api/3/action/package_search", "{nope", content_type="application/json")
    assert bad_json.status_code == 409 and bad_json.json()["error"]["__type"] == "Validation Error"
    bad_key = Client().get("/api/3/action/package_list", HTTP_X_CKAN_API_KEY="od_nope_nope")
    assert bad_key.status_code == 403 and bad_key.json()["error"]["__type"] == "Authorization Error"
    on_application = publish_upload(officer, reviewer, [company(1)], open_type="on_application").dataset
    refused = call("datastore_search", resource_id=f"{on_application.pk}-csv")
    assert refused.status_code == 403 and refused.json()["error"]["__type"] == "Authorization Error"


def test_only_open_data_is_listed(dataset, officer, reviewer):
    from openness.services import publishing

    withdrawn, _v = published_dataset(officer, reviewer, rows=[company(1)], name="已撤回的资源")
    publishing.dataset_withdraw(actor=reviewer, dataset=withdrawn, reason="停止更新")
    names = call("package_list").json()["result"]
    assert names == [f"dataset-{dataset.pk}"]
    assert call("package_show", id=withdrawn.pk).status_code == 404
    assert call("organization_list").json()["result"] == [dataset.department.code]
    assert call("group_list", all_fields="true").json()["result"][0]["package_count"] == 1
    assert "统一社会信用代码" in call("tag_list").json()["result"]


def test_package_search_pages_filters_and_counts_facets(dataset, officer, reviewer):
    other, _v = published_dataset(officer, reviewer, rows=[company(1)], name="其他资源", theme="交通运输")
    found = call("package_search", q="企业", rows=1, start=0, sort="metadata_modified desc").json()["result"]
    assert found["count"] == 2 and len(found["results"]) == 1
    by_group = call("package_search", fq='groups:"交通运输"', **{"facet.field": '["groups","organization"]'})
    result = by_group.json()["result"]
    assert [p["id"] for p in result["results"]] == [str(other.pk)]
    assert result["facets"]["groups"] == {"交通运输": 1}
    assert result["search_facets"]["organization"]["items"][0]["name"] == dataset.department.code
    tagged = call("package_search", "post", fq='tags:"统一社会信用代码" organization:' + dataset.department.code)
    assert tagged.json()["result"]["count"] == 2
    assert call("package_search", fq="tags:没有这个信息项").json()["result"]["count"] == 0


def test_datastore_search_reads_the_open_rows(dataset, officer, reviewer, public_user):
    rid = f"{dataset.pk}-csv"
    page = call("datastore_search", resource_id=rid, limit=5, offset=7).json()["result"]
    assert page["total"] == 25 and len(page["records"]) == 5
    assert page["records"][0]["company_name"].endswith("司8") and page["records"][0]["legal_rep"] == "张*"
    assert [f["id"] for f in page["fields"]][:2] == ["uscc", "company_name"] and "next" in page["_links"]
    one = call(
        "datastore_search",
        "post",
        resource_id=rid,
        filters={"company_name": "示范市华泰商贸有限公司7"},
        fields=["company_name"],
    ).json()["result"]
    assert one["total"] == 1 and one["records"] == [{"company_name": "示范市华泰商贸有限公司7"}]
    ordered = call("datastore_search", resource_id=rid, sort="company_name desc", limit=1).json()["result"]
    assert ordered["records"][0]["company_name"].endswith("司9")
    # 依申请开放: the approved applicant's key opens the rows (Lhasa art. 30)
    on_application = publish_upload(officer, reviewer, [company(1)], open_type="on_application").dataset
    approved_application(on_application, public_user, officer)
    _key, secret = apikeys.apikey_create(actor=public_user, name="脚本")
    opened = Client().get(
        "/api/3/action/datastore_search", {"resource_id": f"{on_application.pk}-csv"}, HTTP_AUTHORIZATION=secret
    )
    assert opened.status_code == 200 and opened.json()["result"]["total"] == 1
    package = (
        Client()
        .get("/api/3/action/package_show", {"id": on_application.pk}, HTTP_X_CKAN_API_KEY=secret)
        .json()["result"]
    )
    assert package["resources"][0]["datastore_active"] is True
    assert call("package_show", id=on_application.pk).json()["result"]["resources"][0]["datastore_active"] is False


def test_the_open_data_apis_rate_limits_and_counting_apply(dataset, settings, public_user):
    from openness.models import UsageEvent

    settings.OPEN_DATA = {"RATE_ANONYMOUS_PER_MINUTE": 3, "RATE_KEY_PER_MINUTE": 100}
    answers = [call("package_show", id=dataset.pk) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].json()["success"] is False and int(answers[-1]["Retry-After"]) >= 1
    assert UsageEvent.objects.filter(dataset=dataset, kind=UsageEvent.Kind.API_CALL).count() == 3
    # a key has its own, higher limit (the open-data API's: openness.ratelimit)
    _key, secret = apikeys.apikey_create(actor=public_user, name="脚本")
    keyed = Client().get("/api/3/action/package_show", {"id": dataset.pk}, HTTP_X_CKAN_API_KEY=secret)
    assert keyed.status_code == 200


def test_a_page_of_package_search_costs_a_fixed_number_of_queries(officer, reviewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(6):
        published_dataset(officer, reviewer, rows=[company(1)], name=f"资源{n}")
    counts = []
    for rows in (1, 6):
        with CaptureQueriesContext(connection) as queries:
            found = call("package_search", rows=rows).json()["result"]
        assert len(found["results"]) == rows
        counts.append(len(queries))
    assert counts[0] == counts[1], counts  # not one query more per dataset
