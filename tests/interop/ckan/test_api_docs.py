"""Issue 17 part 8: a public API page in Chinese with curl and Python examples per open dataset (the
reader's key named, never its secret); the internal API's OpenAPI schema and Swagger UI only for
signed-in staff, the public is sent to the public page."""

import pytest
from django.test import Client

from openness.services import apikeys
from tests.openness.factories import published_dataset

pytestmark = pytest.mark.django_db


def test_the_public_page_has_examples_per_dataset(officer, reviewer, public_user):
    dataset, _v = published_dataset(officer, reviewer)
    page = Client().get("/open/api-docs/")
    body = page.content.decode()
    assert page.status_code == 200 and "CKAN 兼容接口" in body and f'data-testid="example-{dataset.pk}"' in body
    assert f"/api/3/action/datastore_search?resource_id={dataset.pk}-csv" in body and "YOUR_API_KEY" in body
    assert f"/open/datasets/{dataset.pk}/datapackage.json" in body and "RemoteCKAN" in body
    key, secret = apikeys.apikey_create(actor=public_user, name="我的脚本")
    client = Client()
    client.force_login(public_user)
    mine = client.get("/open/api-docs/").content.decode()
    assert "我的脚本" in mine and key.prefix in mine and secret not in mine and "YOUR_API_KEY" not in mine
    detail = Client().get(f"/open/datasets/{dataset.pk}/").content.decode()
    assert f"/open/datasets/{dataset.pk}/datapackage.json" in detail


def test_the_internal_api_docs_are_for_signed_in_staff(staff, public_user):
    assert Client().get("/api/docs/")["Location"] == "/open/api-docs/"
    assert Client().get("/api/schema/").status_code in (401, 403)
    public = Client()
    public.force_login(public_user)
    assert public.get("/api/docs/")["Location"] == "/open/api-docs/"
    assert public.get("/api/schema/").status_code == 403
    inside = Client()
    inside.force_login(staff)
    assert inside.get("/api/docs/").status_code == 200
    schema = inside.get("/api/schema/", {"format": "json"}).json()
    assert schema["openapi"].startswith("3.") and "/api/docs/" not in schema["paths"]
    assert not [p for p in schema["paths"] if "/action/" in p]  # CKAN's API is documented on the public page


def test_staff_read_the_schema_with_an_api_token(staff, public_user):
    """As the API fuzzer does (tests/security/test_fuzzing.py): the admin's token, no session."""
    from accounts.services.tokens import token_issue

    _t, staff_token = token_issue(actor=staff, name="脚本")
    answer = Client().get("/api/schema/", {"format": "json"}, HTTP_AUTHORIZATION=f"Token {staff_token}")
    assert answer.status_code == 200 and "paths" in answer.json()
    _t, public_token = token_issue(actor=public_user, name="脚本")
    assert Client().get("/api/schema/", HTTP_AUTHORIZATION=f"Token {public_token}").status_code == 403
