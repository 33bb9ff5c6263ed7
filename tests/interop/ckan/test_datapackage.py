"""Issue 17 part 4: every open dataset has a Frictionless Data Package (datapackage.json) whose Table
Schema types its CSV download; the real frictionless library validates descriptor and CSV, fetched
over HTTP from a live server: 0 errors, also for an empty dataset, Chinese headers, dates and
date-times, numbers and booleans; a value that breaks a constraint is found."""

import frictionless
import requests
from django.test import Client

from openness.services import publishing
from tests.openness.factories import company, entry_with_rows, published_dataset

TYPED_ITEMS = [
    {"key": "uscc", "name": "统一社会信用代码", "type": "uscc", "length": 18, "required": True},
    {"key": "company_name", "name": "企业名称", "type": "string", "length": 200, "required": True},
    {"key": "staff", "name": "职工人数", "type": "integer"},
    {"key": "capital", "name": "注册资本（万元）", "type": "decimal"},
    {"key": "listed", "name": "是否上市", "type": "boolean"},
    {"key": "established", "name": "成立日期", "type": "date"},
    {"key": "checked_at", "name": "核查时间", "type": "datetime"},
    {"key": "legal_rep", "name": "法定代表人", "type": "string", "length": 50, "sensitive": True},
]
TYPED_RULES = [{"key": i["key"]} for i in TYPED_ITEMS[:-1]] + [{"key": "legal_rep", "rule": "keep_first", "first": 1}]


def typed_rows(n):
    from tests.openness.factories import make_uscc

    return [
        [
            make_uscc(i),
            f"示范市第{i}建材公司",
            str(i * 10),
            f"{i}.50",
            "true" if i % 2 else "false",
            "2021-03-0" + str(1 + i % 9),
            f"2026-05-0{1 + i % 9} 08:30:00",
            "李四",
        ]
        for i in range(1, n + 1)
    ]


def typed_dataset(officer, reviewer, rows, **overrides):
    entry = entry_with_rows(
        officer, rows, reviewer=reviewer, items=TYPED_ITEMS, header=[i["name"] for i in TYPED_ITEMS], **overrides
    )
    version = publishing.version_propose(actor=officer, entry=entry, items=TYPED_RULES, metadata={})
    version = publishing.version_approve(actor=reviewer, version=version)
    version.dataset.refresh_from_db()
    return version.dataset


def check(url):
    descriptor = requests.get(url, timeout=30).json()
    report = frictionless.validate(descriptor)
    return descriptor, report


def errors_of(report):
    return [(e.type, getattr(e, "note", "")) for task in report.tasks for e in task.errors] + [
        (e.type, e.note) for e in report.errors
    ]


def test_the_descriptor_and_its_csv_validate(live_server, officer, reviewer):
    dataset = typed_dataset(officer, reviewer, typed_rows(12), name="建材企业名录", theme="市场监管")
    descriptor, report = check(live_server.url + f"/open/datasets/{dataset.pk}/datapackage.json")
    assert report.valid, errors_of(report)
    assert report.tasks[0].stats["rows"] == 12
    fields = {f["name"]: f for f in descriptor["resources"][0]["schema"]["fields"]}
    assert [fields[n]["type"] for n in ("职工人数", "注册资本（万元）", "是否上市", "成立日期", "核查时间")] == [
        "integer",
        "number",
        "boolean",
        "date",
        "datetime",
    ]
    assert fields["统一社会信用代码"]["constraints"]["required"] is True
    assert "pattern" in fields["统一社会信用代码"]["constraints"]
    assert "constraints" not in fields["法定代表人"]  # masked (张* / 李*): its length and pattern no longer hold
    assert descriptor["licenses"][0]["name"] == "other-open" and "市场监管" in descriptor["keywords"]


def test_empty_cells_formula_cells_and_the_demo_shaped_dataset_validate(live_server, officer, reviewer):
    # a file of a header only is refused at loading (catalog.datastore), so no open dataset is empty:
    # the edge cases are empty optional cells and cells neutralised for spreadsheets
    demo, _v = published_dataset(officer, reviewer, rows=[company(n, note="=SUM(A1)") for n in range(1, 6)])
    _d, report = check(live_server.url + f"/open/datasets/{demo.pk}/datapackage.json")
    assert report.valid, errors_of(report)
    sparse = [[*row[:2], "", "", "", "", "", row[7]] for row in typed_rows(3)]
    empty = typed_dataset(officer, reviewer, sparse, name="空值较多的数据集")
    _d, report = check(live_server.url + f"/open/datasets/{empty.pk}/datapackage.json")
    assert report.valid, errors_of(report)


def test_a_broken_constraint_is_found(live_server, officer, reviewer, tmp_path):
    dataset = typed_dataset(officer, reviewer, typed_rows(3))
    descriptor = requests.get(live_server.url + f"/open/datasets/{dataset.pk}/datapackage.json", timeout=30).json()
    csv = requests.get(descriptor["resources"][0]["path"], timeout=30).content.decode("utf-8-sig")
    lines = csv.splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[0], "NOT-A-CODE", 1)
    (tmp_path / "data.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    resource = dict(descriptor["resources"][0], path="data.csv", encoding="utf-8")
    report = frictionless.validate(dict(descriptor, resources=[resource]), basepath=str(tmp_path))
    assert not report.valid and [e.type for e in report.tasks[0].errors] == ["constraint-error"]


def test_the_package_links_it_and_unknown_datasets_answer_404(officer, reviewer, db):
    dataset, _v = published_dataset(officer, reviewer)
    package = Client().get("/api/3/action/package_show", {"id": dataset.pk}).json()["result"]
    url = next(r["url"] for r in package["resources"] if r["name"] == "datapackage.json")
    assert url.endswith(f"/open/datasets/{dataset.pk}/datapackage.json")
    assert Client().get(f"/open/datasets/{dataset.pk}/datapackage.json").json()["name"] == f"dataset-{dataset.pk}"
    assert Client().get("/open/datasets/987654/datapackage.json").status_code == 404
    publishing.dataset_withdraw(actor=reviewer, dataset=dataset, reason="停止更新")
    assert Client().get(f"/open/datasets/{dataset.pk}/datapackage.json").status_code == 404
