"""Building blocks for sharing tests: a provider with a loaded resource, an applicant department."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog.demo import fake_id_number
from catalog.models import DataLoad
from catalog.services import entries, loads
from portal.roles import Role
from tests.catalog.factories import content
from tests.factories import user_with_role

ITEMS = [
    {"key": "id_number", "name": "身份证号", "type": "id_number", "length": 18, "required": True, "sensitive": True},
    {"key": "name", "name": "姓名", "type": "string", "length": 50, "required": True, "sensitive": True},
    {"key": "district", "name": "所属区县", "type": "string", "length": 50},
    {"key": "amount", "name": "月保障金额（元）", "type": "decimal"},
    {"key": "status", "name": "保障状态", "type": "string", "length": 10},
]
LAW = "《社会救助暂行办法》第六十二条"
# 东城区 7 people, 西山县 5, 南湖区 2: the last group is below the threshold of 5.
DISTRICTS = ["东城区"] * 7 + ["西山县"] * 5 + ["南湖区"] * 2


def people_rows(count: int | None = None) -> list[dict]:
    rng = random.Random(5)
    rows = []
    for n, district in enumerate(DISTRICTS[:count] if count else DISTRICTS):
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=n * 400)
        rows.append(
            {
                "id_number": fake_id_number(rng, birth, n % 2 == 0),
                "name": "张三丰李四王五"[n % 5] + "某",
                "district": district,
                "amount": f"{500 + 10 * n}.00",
                "status": "在保" if n % 3 else "停保",
            }
        )
    return rows


def load(officer, entry, rows: list[dict]) -> DataLoad:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([i["name"] for i in ITEMS])
    for row in rows:
        writer.writerow([row[i["key"]] for i in ITEMS])
    upload = SimpleUploadedFile("people.csv", out.getvalue().encode("utf-8"), content_type="text/csv")
    result = loads.load_start(actor=officer, entry=entry, upload=upload)
    result.refresh_from_db()
    assert result.status == DataLoad.Status.SUCCEEDED, (result.message, result.errors)
    return result


def entry(
    officer,
    reviewer,
    *,
    share_type="conditional",
    modes=("query", "compare", "statistics", "pull"),
    name="最低生活保障对象信息",
    rows: list[dict] | None = None,
):
    extra = {}
    if share_type == "conditional":
        extra = {
            "share_condition": "仅向民政、卫健部门提供，用于待遇核定。",
            "share_modes": list(modes),
            "legal_basis": LAW,
        }
    elif share_type == "not_shared":
        extra = {"legal_basis": LAW}
    data = content(
        name=name,
        summary="低保对象及保障金额",
        share_type=share_type,
        open_type="not_open",
        open_condition="涉及个人信息",
        **extra,
    )
    created = entries.entry_create(actor=officer, department=officer.department, content=data, items=ITEMS)
    entries.entry_submit(actor=officer, entry=created)
    entries.entry_approve(actor=reviewer, entry=created)
    created.refresh_from_db()
    if rows is not None:
        load(officer, created, rows)
    return created


@dataclass
class World:
    provider_officer: object
    reviewer: object
    applicant: object
    applicant_officer: object
    entry: object
    rows: list

    @property
    def provider(self):
        return self.provider_officer.department

    @property
    def department(self):
        return self.applicant.department


def world(*, share_type="conditional", modes=("query", "compare", "statistics", "pull"), rows=True) -> World:
    provider_officer = user_with_role(Role.DATA_OFFICER)
    reviewer = user_with_role(Role.BUREAU_REVIEWER)
    applicant = user_with_role(Role.DEPARTMENT_STAFF)
    applicant_officer = user_with_role(Role.DATA_OFFICER, department=applicant.department)
    data = people_rows() if rows else None
    created = entry(provider_officer, reviewer, share_type=share_type, modes=modes, rows=data)
    return World(provider_officer, reviewer, applicant, applicant_officer, created, data or [])


def apply(w: World, **overrides):
    from sharing.services import applications

    args = {
        "purpose": "核定低保待遇",
        "scenario_text": "社会救助待遇审核",
        "items": ["id_number", "name", "district"],
        "mode": "query",
        "end_date": timezone.localdate() + dt.timedelta(days=90),
    }
    args.update(overrides)
    return applications.application_submit(actor=w.applicant, entry=w.entry, **args)
