"""SECURITY.md 14.17: GET /api/catalog/export/?format=csv|xlsx|jsonld gives the catalog in that format (DRF took
`format` for its renderer and answered 404)."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from catalog import exchange
from tests.catalog.factories import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(officer, reviewer):
    published(officer, reviewer, name="企业营业执照信息")
    api = APIClient()
    api.force_authenticate(officer)
    return api


def test_csv(client):
    response = client.get("/api/catalog/export/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == exchange.EXPORT_HEADERS
    assert [r[1] for r in rows[1:]] == ["企业营业执照信息"]


def test_xlsx(client):
    response = client.get("/api/catalog/export/", {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == exchange.EXPORT_HEADERS and rows[1][1] == "企业营业执照信息"


def test_jsonld(client):
    response = client.get("/api/catalog/export/?format=jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.content)
    assert document["@type"] == "dcat:Catalog"
    assert [d["dct:title"] for d in document["dcat:dataset"]] == ["企业营业执照信息"]


@pytest.mark.parametrize("query", ["?format=pdf", "?format=json", "", "?format=api"])
def test_another_format_is_a_400_in_json_naming_the_choices(client, query):
    response = client.get("/api/catalog/export/" + query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "csv、xlsx 或 jsonld" in response.json()["errors"]["format"][0]
