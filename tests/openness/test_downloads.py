"""O1/O3/O4: anonymous visitors download 无条件开放 datasets as CSV, JSON and XLSX, streamed; each
download is audited (with the visitor's address) and counted; formula-like cells are neutralised."""

import csv
import io
import json

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from audit.models import AuditEntry
from openness.models import Dataset, UsageEvent
from openness.services import usage
from tests.openness.factories import approved_application, company, published_dataset

pytestmark = pytest.mark.django_db(transaction=True)


def body(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


@pytest.fixture
def dataset(officer, reviewer):
    rows = [
        company(1),
        company(2, note='=HYPERLINK("http://evil","点我")'),
        company(3, note="+1-2"),
        company(4, note="@SUM(A1)"),
        company(5, note="-3"),
    ]
    dataset, _version = published_dataset(officer, reviewer, rows=rows)
    return dataset


def test_anonymous_visitor_downloads_csv_with_formulas_neutralised(client, dataset):
    response = client.get(reverse("openness:download", args=[dataset.pk, "csv"]), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = body(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["统一社会信用代码", "企业名称", "法定代表人", "备注", "成立日期"]
    assert len(rows) == 6 and rows[1][2] == "张*"
    notes = [r[3] for r in rows[2:]]
    assert notes == ['\'=HYPERLINK("http://evil","点我")', "'+1-2", "'@SUM(A1)", "'-3"]
    entry = AuditEntry.objects.get(action="openness.download")
    assert entry.actor_id is None and entry.client_ip == "203.0.113.7"
    assert entry.detail["format"] == "csv" and entry.outcome == "success"


def test_anonymous_visitor_downloads_json(client, dataset):
    response = client.get(reverse("openness:download", args=[dataset.pk, "json"]))
    assert response.status_code == 200
    document = json.loads(body(response))
    assert document["meta"]["rows"] == 5 and document["meta"]["version"] == 1
    assert [f["key"] for f in document["fields"]] == ["uscc", "company_name", "legal_rep", "note", "established"]
    assert document["rows"][0]["established"] == "2020-01-02" and document["rows"][0]["legal_rep"] == "张*"
    assert len(document["rows"]) == 5


def test_anonymous_visitor_downloads_xlsx_with_formulas_neutralised(client, dataset):
    response = client.get(reverse("openness:download", args=[dataset.pk, "xlsx"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert rows[0][:2] == ["统一社会信用代码", "企业名称"] and len(rows) == 6
    assert [r[3] for r in rows[2:]] == ['\'=HYPERLINK("http://evil","点我")', "'+1-2", "'@SUM(A1)", "'-3"]
    assert all(cell.data_type != "f" for row in book.worksheets[0].iter_rows() for cell in row)


def test_downloads_are_counted_without_locking_the_dataset_and_flushed_later(client, dataset):
    for fmt in ("csv", "json", "xlsx", "csv"):
        body(client.get(reverse("openness:download", args=[dataset.pk, fmt])))
    assert UsageEvent.objects.filter(dataset=dataset, kind="download").count() == 4
    assert Dataset.objects.get(pk=dataset.pk).download_count == 0
    from openness.tasks import flush_usage

    assert flush_usage() == 4
    assert Dataset.objects.get(pk=dataset.pk).download_count == 4
    assert flush_usage() == 0 and not UsageEvent.objects.exists()


def test_on_application_dataset_needs_an_approved_application(client, officer, reviewer, public_user):
    dataset, _version = published_dataset(
        officer, reviewer, open_type="on_application", open_condition="用于科研，须申请"
    )
    url = reverse("openness:download", args=[dataset.pk, "csv"])
    response = client.get(url)
    assert response.status_code == 403 and "依申请开放" in response.content.decode()
    assert AuditEntry.objects.filter(action="openness.download", outcome="denied").exists()
    client.force_login(public_user)
    assert client.get(url).status_code == 403
    approved_application(dataset, public_user, officer)
    response = client.get(url)
    assert response.status_code == 200 and "示范市华泰商贸有限公司1" in body(response).decode("utf-8-sig")
    page = client.get(reverse("openness:dataset", args=[dataset.pk])).content.decode()
    assert 'data-testid="download-csv"' in page


def test_superseded_versions_stay_downloadable(client, officer, reviewer, dataset):
    from catalog.services import loads
    from openness.services import publishing
    from tests.openness.factories import SAFE_RULES, csv_upload

    loads.load_start(actor=officer, entry=dataset.entry, upload=csv_upload([company(9)]))
    new = publishing.version_propose(actor=officer, entry=dataset.entry, items=SAFE_RULES, metadata={})
    publishing.version_approve(actor=reviewer, version=new)
    old = client.get(reverse("openness:version_download", args=[dataset.pk, 1, "csv"]))
    assert body(old).decode("utf-8-sig").count("\n") == 6
    current = client.get(reverse("openness:download", args=[dataset.pk, "csv"]))
    assert body(current).decode("utf-8-sig").count("\n") == 2
    page = client.get(reverse("openness:dataset", args=[dataset.pk])).content.decode()
    assert "已被新版本替代" in page and 'data-testid="version-download-1-csv"' in page


def test_a_withdrawn_dataset_is_announced_and_not_downloadable(client, officer, dataset):
    from openness.services import publishing

    publishing.dataset_withdraw(actor=officer, dataset=dataset, reason="来源系统停用")
    response = client.get(reverse("openness:download", args=[dataset.pk, "csv"]))
    assert response.status_code == 410
    page = client.get(reverse("openness:dataset", args=[dataset.pk])).content.decode()
    assert "撤回公告" in page and "来源系统停用" in page
    notices = client.get(reverse("openness:withdrawn")).content.decode()
    assert "来源系统停用" in notices


def test_unknown_formats_and_datasets_are_not_found(client, dataset):
    assert client.get(reverse("openness:download", args=[dataset.pk, "exe"])).status_code == 404
    assert client.get(reverse("openness:download", args=[999999, "csv"])).status_code == 404
    assert client.get(reverse("openness:version_download", args=[dataset.pk, 7, "csv"])).status_code == 404
    assert usage.FORMATS == ("csv", "json", "xlsx")


def test_api_clients_download_with_their_key_and_a_revoked_key_is_refused(client, officer, reviewer, public_user):
    from openness.services import apikeys

    dataset, _version = published_dataset(officer, reviewer, open_type="on_application", open_condition="须申请")
    approved_application(dataset, public_user, officer)
    key, secret = apikeys.apikey_create(actor=public_user, name="科研")
    url = reverse("openness:download", args=[dataset.pk, "json"])
    assert client.get(url).status_code == 403
    response = client.get(url, HTTP_X_API_KEY=secret)
    assert response.status_code == 200 and json.loads(body(response))["meta"]["rows"] == 5
    entry = AuditEntry.objects.filter(action="openness.download", outcome="success").latest("id")
    assert entry.actor_id == public_user.pk and entry.detail["channel"] == "api"
    apikeys.apikey_revoke(actor=public_user, key=key)
    assert client.get(url, HTTP_X_API_KEY=secret).status_code == 401
    assert client.head(reverse("openness:download", args=[dataset.pk, "csv"])).status_code == 405
