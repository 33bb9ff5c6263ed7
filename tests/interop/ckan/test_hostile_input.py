"""Bad input to the CKAN API is a Validation Error (409) or Not Found (404) in CKAN's envelope, never a
500 and never a write other than its audit entry (SECURITY.md, hostile input)."""

import json

import pytest
from django.test import Client

from tests.openness.factories import company, published_dataset

pytestmark = pytest.mark.django_db

HOSTILE = [
    "' OR 1=1 --",
    "\\",
    "(",
    "*:*",
    'groups:"',
    "\x00",
    "a{1000000}",
    "%s %(x)s",
    "\u202e",
    "a" * 5000,
    "企业 & | !",
    "1e999999",
    "-1",
    "99999999999999999999",
    "[]",
    "{}",
    "null",
    "true",
    '{"a": [1, {"b": 2}]}',
]
PARAMS = {
    "package_search": ["q", "fq", "rows", "start", "sort", "facet.field"],
    "package_show": ["id"],
    "resource_show": ["id"],
    "organization_show": ["id", "include_datasets"],
    "organization_list": ["all_fields"],
    "group_list": ["all_fields"],
    "tag_list": ["query", "all_fields"],
    "package_list": ["limit", "offset"],
    "datastore_search": ["resource_id", "filters", "fields", "sort", "limit", "offset", "q"],
}


def test_hostile_values_in_every_parameter(officer, reviewer, settings):
    settings.OPEN_DATA = {"RATE_ANONYMOUS_PER_MINUTE": 10**6, "RATE_ADDRESS_PER_MINUTE": 10**6}
    dataset, _v = published_dataset(officer, reviewer, rows=[company(n) for n in range(1, 4)])
    client = Client()
    for action, names in PARAMS.items():
        for name in names:
            for value in HOSTILE:
                params = (
                    {"resource_id": f"{dataset.pk}-csv", name: value} if action == "datastore_search" else {name: value}
                )
                for answer in (
                    client.get(f"/api/3/action/{action}", params),
                    client.post(f"/api/3/action/{action}", json.dumps(params), content_type="application/json"),
                ):
                    assert answer.status_code in (200, 404, 409), (action, name, value, answer.content[:300])
                    body = answer.json()
                    assert body["success"] is (answer.status_code == 200), body
                    if not body["success"]:
                        assert body["error"]["__type"] in ("Validation Error", "Not Found Error"), body


def test_broken_bodies_and_content_types(officer, reviewer):
    client = Client()
    for content_type, body in (
        ("application/json", '{"q": '),
        ("application/json", '["not", "an object"]'),
        ("application/json", "1e999999"),
        ("text/plain", "q=x"),
        ("application/xml", "<a/>"),
    ):
        answer = client.generic("POST", "/api/3/action/package_search", body, content_type=content_type)
        assert answer.status_code == 409, (content_type, body, answer.status_code, answer.content[:300])
        assert answer.json()["error"]["__type"] == "Validation Error"
    lone_surrogate = client.generic(
        "POST", "/api/3/action/package_search", '{"q": "\\ud800"}', content_type="application/json"
    )
    assert lone_surrogate.status_code == 200 and lone_surrogate.json()["result"]["count"] == 0
