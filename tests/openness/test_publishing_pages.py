"""O2: the publishing pages — propose from a catalog resource or an uploaded file, see the masking
check, review; proposals are visible to their department and the bureau only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openness.models import Dataset, DatasetVersion, Upload
from portal.roles import Role
from tests.factories import user_with_role
from tests.openness.factories import company, entry_with_rows, make_id

pytestmark = pytest.mark.django_db


def form_data(columns, rules=None, **metadata):
    rules = rules or {}
    data = {
        "title": "企业名录",
        "summary": "全市企业登记信息",
        "update_frequency": "monthly",
        "open_type": "unconditional",
        **metadata,
    }
    for key in columns:
        rule = rules.get(key, {"rule": "none"})
        if rule is None:
            continue
        data[f"use_{key}"] = "on"
        data[f"rule_{key}"] = rule["rule"]
        data[f"first_{key}"] = rule.get("first", "")
        data[f"last_{key}"] = rule.get("last", "")
    return data


KEYS = ["uscc", "company_name", "legal_rep", "note", "established"]


def test_officer_proposes_from_a_catalog_resource_and_the_reviewer_approves(client, officer, reviewer):
    entry = entry_with_rows(officer, [company(1), company(2, note=f"法人身份证 {make_id(8)}")], reviewer=reviewer)
    client.force_login(officer)
    manage = client.get(reverse("openness:manage")).content.decode()
    assert reverse("openness:propose_entry", args=[entry.pk]) in manage
    url = reverse("openness:propose_entry", args=[entry.pk])
    page = client.get(url).content.decode()
    assert "法定代表人" in page and "敏感" in page
    refused = client.post(url, form_data(KEYS, {"legal_rep": {"rule": "keep_first", "first": 1}}))
    assert refused.status_code == 400
    assert "备注" in refused.content.decode() and "文件第 3 行" in refused.content.decode()  # header = line 1
    assert not DatasetVersion.objects.exists()
    accepted = client.post(
        url, form_data(KEYS, {"legal_rep": {"rule": "keep_first", "first": 1}, "note": {"rule": "hide"}})
    )
    version = DatasetVersion.objects.get()
    assert accepted.status_code == 302 and accepted["Location"] == reverse("openness:version", args=[version.pk])

    client.force_login(reviewer)
    queue = client.get(reverse("openness:review_queue")).content.decode()
    assert "企业名录" in queue
    page = client.get(reverse("openness:version", args=[version.pk])).content.decode()
    assert 'data-testid="masked-preview"' in page and "***" in page and 'data-testid="approve-version"' in page
    client.post(reverse("openness:version_approve", args=[version.pk]), {"comment": "同意"})
    version.refresh_from_db()
    assert version.status == "published"
    client.logout()
    assert client.get(reverse("openness:dataset", args=[version.dataset_id])).status_code == 200


def test_officer_publishes_an_uploaded_file(client, officer, reviewer):
    client.force_login(officer)
    content = "区县,诉求类别,联系电话\n城关区,噪音扰民,13812345678\n东城区,道路维修,\n".encode("gbk")
    response = client.post(reverse("openness:upload"), {"file": SimpleUploadedFile("工单.csv", content)})
    upload = Upload.objects.get()
    assert response.status_code == 302 and upload.row_count == 2
    assert [c["name"] for c in upload.columns] == ["区县", "诉求类别", "联系电话"]
    keys = [c["key"] for c in upload.columns]
    url = reverse("openness:propose_upload", args=[upload.pk])
    missing = client.post(url, form_data(keys, {keys[2]: None}, open_type="on_application"))
    assert missing.status_code == 400 and "开放条件" in missing.content.decode()
    refused = client.post(url, form_data(keys))
    assert refused.status_code == 400 and "手机号码" in refused.content.decode()
    ok = client.post(url, form_data(keys, {keys[2]: {"rule": "keep_first_last", "first": 3, "last": 4}}))
    assert ok.status_code == 302
    version = DatasetVersion.objects.get()
    assert version.source == "upload" and version.data_format == "spreadsheet"


def test_bad_uploads_are_refused_with_a_chinese_message(client, officer):
    client.force_login(officer)
    response = client.post(reverse("openness:upload"), {"file": SimpleUploadedFile("a.exe", b"MZ")})
    assert response.status_code == 400 and "只支持" in response.content.decode()
    response = client.post(reverse("openness:upload"), {"file": SimpleUploadedFile("a.csv", b"a,a\n1,2\n")})
    assert response.status_code == 400 and "重复" in response.content.decode()
    assert not Upload.objects.exists()


def test_proposals_are_seen_by_their_department_and_the_bureau_only(client, officer, reviewer):
    from tests.openness.factories import propose

    entry = entry_with_rows(officer, [company(1)], reviewer=reviewer)
    version = propose(officer, entry)
    url = reverse("openness:version", args=[version.pk])
    client.force_login(user_with_role(Role.DATA_OFFICER))
    assert client.get(url).status_code == 404
    client.force_login(user_with_role(Role.PUBLIC))
    assert client.get(url).status_code == 404
    assert client.get(reverse("openness:manage")).status_code == 403
    assert client.get(reverse("openness:review_queue")).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    assert not Dataset.objects.filter(published_version__isnull=False).exists()


def test_withdrawing_from_the_page_needs_a_reason(client, officer, reviewer):
    from tests.openness.factories import published_dataset

    dataset, _v = published_dataset(officer, reviewer)
    client.force_login(officer)
    client.post(reverse("openness:withdraw", args=[dataset.pk]), {"reason": ""})
    assert not Dataset.objects.get(pk=dataset.pk).is_withdrawn
    client.post(reverse("openness:withdraw", args=[dataset.pk]), {"reason": "数据源停用"})
    assert Dataset.objects.get(pk=dataset.pk).withdrawal_reason == "数据源停用"
    client.force_login(user_with_role(Role.DATA_OFFICER))
    other, _v = published_dataset(officer, reviewer, name="另一个")
    client.post(reverse("openness:withdraw", args=[other.pk]), {"reason": "越权"})
    assert not Dataset.objects.get(pk=other.pk).is_withdrawn
