"""Issue 17 part 3: the real ckanapi client (as CKAN harvesters and scripts use it) against a live
server: its RemoteCKAN calls /api/action/<name> by POST with a JSON body (or GET with get_only),
sends the key as X-CKAN-API-Key and Authorization, and turns CKAN's error types into its exceptions."""

import ckanapi
import pytest

from openness.services import apikeys
from tests.openness.factories import approved_application, company, publish_upload, published_dataset


@pytest.fixture
def world(live_server, officer, reviewer, public_user):
    dataset, _v = published_dataset(officer, reviewer, rows=[company(n) for n in range(1, 13)], theme="市场监管")
    closed = publish_upload(officer, reviewer, [company(1), company(2)], open_type="on_application").dataset
    approved_application(closed, public_user, officer)
    _key, secret = apikeys.apikey_create(actor=public_user, name="采集脚本")
    return {"url": live_server.url, "dataset": dataset, "closed": closed, "secret": secret}


@pytest.mark.parametrize("get_only", [False, True])
def test_ckanapi_lists_searches_and_reads_rows(world, get_only):
    dataset = world["dataset"]
    with ckanapi.RemoteCKAN(world["url"], get_only=get_only) as portal:
        assert portal.action.status_show()["extensions"] == ["datastore"]
        assert f"dataset-{dataset.pk}" in portal.action.package_list()
        found = portal.action.package_search(q="企业", rows=1, **{"facet.field": ["organization", "groups"]})
        assert found["count"] == 2 and len(found["results"]) == 1
        assert found["search_facets"]["groups"]["items"] == [
            {"name": "市场监管", "display_name": "市场监管", "count": 1}
        ]
        assert found["search_facets"]["organization"]["items"][0]["count"] == 2  # both facets, also by GET
        package = portal.action.package_show(id=f"dataset-{dataset.pk}")
        assert package["organization"]["name"] == dataset.department.code
        resource = portal.action.resource_show(id=package["resources"][0]["id"])
        assert resource["datastore_active"] is True
        rows = portal.action.datastore_search(resource_id=resource["id"], limit=5, offset=10)
        assert rows["total"] == 12 and len(rows["records"]) == 2
        assert portal.action.organization_show(id=dataset.department.code)["package_count"] == 2
        assert portal.action.group_list() == ["市场监管"]
        assert "企业名称" in portal.action.tag_list()


def test_ckanapi_raises_ckans_errors_and_uses_the_key(world):
    closed = world["closed"]
    with ckanapi.RemoteCKAN(world["url"]) as anonymous:
        with pytest.raises(ckanapi.NotFound):
            anonymous.action.package_show(id="dataset-987654")
        with pytest.raises(ckanapi.ValidationError) as invalid:
            anonymous.action.package_search(rows=5000)
        assert "rows" in invalid.value.error_dict
        with pytest.raises(ckanapi.NotAuthorized):
            anonymous.action.datastore_search(resource_id=f"{closed.pk}-csv")
    with ckanapi.RemoteCKAN(world["url"], apikey=world["secret"]) as reader:
        rows = reader.action.datastore_search(resource_id=f"{closed.pk}-csv")
        assert rows["total"] == 2
    with ckanapi.RemoteCKAN(world["url"], apikey="od_wrong_key") as wrong:
        with pytest.raises(ckanapi.NotAuthorized):
            wrong.action.package_list()
