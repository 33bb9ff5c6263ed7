"""O2/O5: a data officer proposes a dataset with masking rules; the masking check refuses unmasked
personal data; the bureau approves (publishes) or returns it; re-publishing makes a new version."""

import pytest
from django.db import connection

from audit.models import AuditEntry
from catalog import datastore
from catalog.datastore.masking import python_hash
from openness.models import Dataset, DatasetVersion
from openness.services import publishing
from portal.errors import DomainError, InvalidTransitionError, PermissionDeniedError
from portal.roles import Role
from tests.factories import user_with_role
from tests.openness.factories import SAFE_RULES, company, entry_with_rows, make_id, propose

pytestmark = pytest.mark.django_db


def table_exists(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"datastore.{name}"])
        return cursor.fetchone()[0] is not None


def test_an_unmasked_valid_id_number_in_a_free_text_item_is_refused_naming_item_and_row(officer, reviewer):
    rows = [company(1), company(2), company(3, note=f"联系人身份证号{make_id(5)}"), company(4)]
    entry = entry_with_rows(officer, rows, reviewer=reviewer)
    with pytest.raises(publishing.MaskingRefused) as info:
        propose(officer, entry)
    message = str(info.value.message)
    # SECURITY.md 14.21: the file line, as the loader counts (header = line 1): the third data row is line 4
    assert "备注" in message and "身份证号" in message and "文件第 4 行" in message
    assert make_id(5) not in message  # the example is itself masked
    assert not Dataset.objects.exists() and not DatasetVersion.objects.exists()
    assert not table_exists("od_1")
    refused = AuditEntry.objects.get(action="openness.version.propose", outcome="failure")
    assert refused.detail["findings"][0]["item"] == "note" and make_id(5) not in str(refused.detail)


def test_the_same_item_masked_by_a_rule_passes_and_gives_the_masked_rows(officer, reviewer):
    rows = [company(1, note=f"身份证{make_id(5)}"), company(2)]
    entry = entry_with_rows(officer, rows, reviewer=reviewer)
    items = [i if i["key"] != "note" else {"key": "note", "rule": "hash"} for i in SAFE_RULES]
    version = propose(officer, entry, items=items)
    assert version.status == "submitted" and version.row_count == 2
    assert version.check_report["findings"] == [] and version.check_report["rows"] == 2
    rows = datastore.preview(version.table_name, version.datastore_columns)
    assert rows[0]["legal_rep"] == "张*"
    assert rows[0]["note"] == python_hash(f"身份证{make_id(5)}", version.dataset.hash_salt)
    assert rows[1]["note"] is None


def test_sensitive_items_must_be_masked(officer, reviewer):
    entry = entry_with_rows(officer, [company(1)], reviewer=reviewer)
    items = [i if i["key"] != "legal_rep" else {"key": "legal_rep"} for i in SAFE_RULES]
    with pytest.raises(DomainError) as info:
        propose(officer, entry, items=items)
    assert "法定代表人" in str(info.value.message) and "敏感" in str(info.value.message)


def test_items_not_chosen_are_not_published(officer, reviewer):
    entry = entry_with_rows(officer, [company(1)], reviewer=reviewer)
    version = propose(officer, entry, items=[{"key": "company_name"}, {"key": "established"}])
    assert [c["key"] for c in version.columns] == ["company_name", "established"]
    assert list(datastore.preview(version.table_name, version.datastore_columns)[0]) == ["company_name", "established"]


def test_approval_publishes_and_a_later_load_does_not_change_the_published_rows(officer, reviewer):
    from catalog.services import loads
    from tests.openness.factories import csv_upload

    entry = entry_with_rows(officer, [company(1)], reviewer=reviewer)
    version = propose(officer, entry, title="企业名录")
    publishing.version_approve(actor=reviewer, version=version)
    version.refresh_from_db()
    dataset = version.dataset
    dataset.refresh_from_db()
    assert (version.status, version.number) == ("published", 1)
    assert dataset.published_version == version and dataset.update_due_at is not None
    loads.load_start(actor=officer, entry=entry, upload=csv_upload([company(1), company(2), company(3)]))
    assert datastore.row_count(version.table_name) == 1
    assert AuditEntry.objects.filter(action="openness.version.approve", outcome="success").exists()


def test_republishing_makes_a_new_version_and_supersedes_the_old_one_which_stays(officer, reviewer):
    from catalog.services import loads
    from tests.openness.factories import csv_upload

    entry = entry_with_rows(officer, [company(1)], reviewer=reviewer)
    first = publishing.version_approve(actor=reviewer, version=propose(officer, entry))
    loads.load_start(actor=officer, entry=entry, upload=csv_upload([company(1), company(2)]))
    second = propose(officer, entry, change_note="新增一家企业")
    assert second.dataset_id == first.dataset_id
    publishing.version_approve(actor=reviewer, version=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.number, second.status, second.number) == ("superseded", 1, "published", 2)
    assert first.is_downloadable and datastore.row_count(first.table_name) == 1
    assert datastore.row_count(second.table_name) == 2


def test_one_pending_version_at_a_time(officer, reviewer):
    entry = entry_with_rows(officer, [company(1)], reviewer=reviewer)
    propose(officer, entry)
    with pytest.raises(InvalidTransitionError):
        propose(officer, entry)


def test_return_needs_reasons_and_drops_the_masked_rows(officer, reviewer):
    entry = entry_with_rows(officer, [company(1)], reviewer=reviewer)
    version = propose(officer, entry)
    table = version.table_name
    with pytest.raises(DomainError):
        publishing.version_return(actor=reviewer, version=version, reasons=" ")
    publishing.version_return(actor=reviewer, version=version, reasons="摘要请写明数据范围")
    version.refresh_from_db()
    assert version.status == "returned" and version.review_comment == "摘要请写明数据范围"
    assert not table_exists(table)
    with pytest.raises(InvalidTransitionError):
        publishing.version_approve(actor=reviewer, version=version)
    again = propose(officer, entry, summary="全市企业登记信息，每月更新")
    assert again.status == "submitted"


def test_only_the_departments_officer_proposes_and_only_the_bureau_reviews(officer, reviewer):
    entry = entry_with_rows(officer, [company(1)], reviewer=reviewer)
    other = user_with_role(Role.DATA_OFFICER)
    with pytest.raises(PermissionDeniedError):
        propose(other, entry)
    version = propose(officer, entry)
    with pytest.raises(PermissionDeniedError):
        publishing.version_approve(actor=officer, version=version)


def test_not_open_catalog_entries_cannot_be_published(officer, reviewer):
    entry = entry_with_rows(
        officer,
        [company(1)],
        reviewer=reviewer,
        open_type="not_open",
        open_condition="涉及商业秘密",
        legal_basis="《企业信息公示暂行条例》",
    )
    with pytest.raises(DomainError) as info:
        propose(officer, entry)
    assert "负面清单" in str(info.value.message)


def test_on_application_entries_give_on_application_datasets(officer, reviewer):
    entry = entry_with_rows(
        officer, [company(1)], reviewer=reviewer, open_type="on_application", open_condition="用于科研，须申请"
    )
    version = propose(officer, entry)
    assert version.open_type == "on_application" and version.open_condition == "用于科研，须申请"


def test_withdrawal_needs_a_reason_and_stays_announced(officer, reviewer):
    from tests.openness.factories import published_dataset

    dataset, version = published_dataset(officer, reviewer)
    with pytest.raises(DomainError):
        publishing.dataset_withdraw(actor=officer, dataset=dataset, reason="")
    publishing.dataset_withdraw(actor=officer, dataset=dataset, reason="数据来源系统停用")
    dataset.refresh_from_db()
    version.refresh_from_db()
    assert dataset.is_withdrawn and dataset.withdrawal_reason == "数据来源系统停用"
    assert version.status == "withdrawn"
    assert AuditEntry.objects.filter(action="openness.dataset.withdraw").exists()
