"""Building blocks for open-data tests: catalog resources with loaded rows, published datasets."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import ric, uscc

from catalog.models import DataLoad
from catalog.services import entries, loads
from openness.services import applications, publishing
from portal.roles import Role
from tests.catalog.factories import content
from tests.factories import user_with_role

ITEMS = [
    {"key": "uscc", "name": "统一社会信用代码", "type": "uscc", "length": 18, "required": True},
    {"key": "company_name", "name": "企业名称", "type": "string", "length": 200, "required": True},
    {"key": "legal_rep", "name": "法定代表人", "type": "string", "length": 50, "sensitive": True},
    {"key": "note", "name": "备注", "type": "string", "length": 500},
    {"key": "established", "name": "成立日期", "type": "date"},
]
HEADER = [i["name"] for i in ITEMS]


def make_id(n: int, born: str = "19900307") -> str:
    body = f"110101{born}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_uscc(n: int, kind: str = "91") -> str:
    body = f"{kind}540100{n:09d}"
    return body + uscc.calc_check_digit(body)


def company(n: int, note: str = "", legal_rep: str = "张三", established: str = "2020-01-02") -> list:
    return [make_uscc(n), f"示范市华泰商贸有限公司{n}", legal_rep, note, established]


def csv_upload(rows, header=HEADER, name="data.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def entry_with_rows(officer, rows, *, reviewer=None, items=ITEMS, header=HEADER, **overrides):
    """A published catalog resource of the officer's department, with rows loaded."""
    reviewer = reviewer or user_with_role(Role.BUREAU_REVIEWER)
    defaults = {"name": "企业登记信息", "open_type": "unconditional", "update_frequency": "monthly"}
    entry = entries.entry_create(
        actor=officer, department=officer.department, content=content(**{**defaults, **overrides}), items=items
    )
    entries.entry_submit(actor=officer, entry=entry)
    entries.entry_approve(actor=reviewer, entry=entry)
    load = loads.load_start(actor=officer, entry=entry, upload=csv_upload(rows, header))
    assert load.status == DataLoad.Status.SUCCEEDED, load.errors
    entry.refresh_from_db()
    return entry


SAFE_RULES = [
    {"key": "uscc"},
    {"key": "company_name"},
    {"key": "legal_rep", "rule": "keep_first", "first": 1},
    {"key": "note"},
    {"key": "established"},
]


def propose(officer, entry, *, items=SAFE_RULES, **metadata):
    return publishing.version_propose(actor=officer, entry=entry, items=items, metadata=metadata)


def published_dataset(officer, reviewer, rows=None, **overrides):
    """A dataset published from a fresh catalog resource; returns (dataset, version)."""
    rows = rows if rows is not None else [company(n) for n in range(1, 6)]
    entry = entry_with_rows(officer, rows, reviewer=reviewer, **overrides)
    version = propose(officer, entry)
    version = publishing.version_approve(actor=reviewer, version=version)
    version.dataset.refresh_from_db()
    return version.dataset, version


def approved_application(dataset, applicant, officer):
    application = applications.application_submit(
        actor=applicant, dataset=dataset, purpose="研究企业分布", intended_use="统计分析，不对外提供"
    )
    return applications.application_approve(actor=officer, application=application)


def recatalogue(officer, reviewer, entry, *, open_type, open_condition="", rows=None):
    """The entry's next catalog version with another open type, published; with rows, loaded again
    (the rows of its next open-data version)."""
    from catalog.services import entries as entry_services

    entry_services.entry_revise(actor=officer, entry=entry, change_note="调整开放类型")
    entry_services.version_update(
        actor=officer, entry=entry, content={"open_type": open_type, "open_condition": open_condition}
    )
    entry_services.entry_submit(actor=officer, entry=entry)
    entry_services.entry_approve(actor=reviewer, entry=entry)
    if rows is not None:
        load = loads.load_start(actor=officer, entry=entry, upload=csv_upload(rows))
        assert load.status == DataLoad.Status.SUCCEEDED, load.errors
    entry.refresh_from_db()
    return entry


def republish(officer, reviewer, dataset):
    """The dataset's next version from its catalog resource's latest load, approved."""
    version = publishing.version_propose(actor=officer, dataset=dataset, items=SAFE_RULES, metadata={})
    return publishing.version_approve(actor=reviewer, version=version)


def publish_upload(officer, reviewer, rows, *, open_type, dataset=None, title="上传的企业名录"):
    """A version of an uploaded dataset (its open type chosen freely), approved."""
    from openness.services import uploads

    stored = uploads.upload_create(actor=officer, department=officer.department, upload=csv_upload(rows))
    metadata = {
        "title": title,
        "summary": "各区县企业",
        "update_frequency": "monthly",
        "open_type": open_type,
        "open_condition": "用于科研，须申请" if open_type == "on_application" else "",
    }
    version = publishing.version_propose(
        actor=officer,
        upload=stored,
        dataset=dataset,
        metadata=metadata,
        items=[{"key": c["key"]} for c in stored.columns],
    )
    return publishing.version_approve(actor=reviewer, version=version)
