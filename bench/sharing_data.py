"""A shared resource with loaded rows and grants to several departments, made through the app's
own services (entry_create / submit / approve, the load path load_run, application_submit /
application_approve). Used by B3, B4, B5 and B8; made once per run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bench.common import WORK, say

ITEMS = [
    ("id_number", "身份证号", "id_number", 18, True, True),
    ("name", "姓名", "string", 50, True, True),
    ("gender", "性别", "string", 2, False, False),
    ("birth_date", "出生日期", "date", None, False, False),
    ("phone", "手机号码", "phone", None, False, True),
    ("district", "所属区县", "string", 50, False, False),
    ("registered_at", "登记时间", "datetime", None, False, False),
    ("amount", "补贴金额", "decimal", 12, False, False),
]


@dataclass
class SharedData:
    entry: object
    load: object
    grants: dict  # holder department id -> Grant
    rows: int


def build(fixtures, rows: int) -> SharedData:
    from django.db import transaction

    from bench.people import make_csv
    from catalog.models import DataLoad
    from catalog.services import entries, loads
    from protection.encryption import files
    from sharing.services import applications

    officer = fixtures.users["officer_gaj"]
    reviewer = fixtures.users["reviewer"]
    items = [
        {"key": k, "name": n, "type": t, "length": ln, "required": r, "sensitive": s, "description": ""}
        for k, n, t, ln, r, s in ITEMS
    ]
    content = {
        "name": "城乡居民补贴发放信息",
        "summary": "全市城乡居民补贴发放明细，含身份证号、所属区县、发放金额。",
        "category": "theme",
        "base_kind": "",
        "theme": "社会保障",
        "share_type": "unconditional",
        "share_condition": "",
        "share_modes": [],
        "open_type": "not_open",
        "open_condition": "涉及个人信息",
        "legal_basis": "《社会救助暂行办法》第六十二条",
        "update_frequency": "monthly",
        "data_format": "database",
        "share_method": "api",
    }
    entry = entries.entry_create(actor=officer, department=officer.department, content=content, items=items)
    entries.entry_submit(actor=officer, entry=entry)
    entries.entry_approve(actor=reviewer, entry=entry, comment="bench")
    # A load's file is kept encrypted on disk, as an upload is (protection.encryption.files.store).
    plain, path = WORK / "shared-rows.plain.csv", WORK / "shared-rows.csv"
    make_csv(plain, rows)
    with open(plain, "rb") as f:
        size = files.encrypt_chunks(iter(lambda: f.read(1 << 20), b""), path)
    plain.unlink()
    version = entry.__class__.objects.get(pk=entry.pk).published_version
    with transaction.atomic():
        load = DataLoad.objects.create(
            entry=entry,
            entry_version=version,
            filename="rows.csv",
            file_path=str(path),
            file_size=size,
            created_by=officer,
            columns=[c.__dict__ for c in loads.columns_for(version)],
        )
    load = loads.load_run(load_id=load.pk)
    if load is None or load.status != DataLoad.Status.SUCCEEDED:
        raise RuntimeError(f"the load failed: {load and load.errors[:3]}")
    grants = {}
    end = dt.date.today() + dt.timedelta(days=300)
    for user in fixtures.staff:
        if user.department_id in grants or user.department_id == officer.department_id:
            continue
        application = applications.application_submit(
            actor=user, entry=entry, purpose="核定补贴发放对象（压测）", mode="query", end_date=end
        )
        grants[user.department_id] = applications.application_approve(actor=reviewer, application=application)
    say(
        f"shared resource {entry.code}: {load.row_count:,} rows in {load.table_name}, "
        f"{len(grants)} departments granted 查阅"
    )
    return SharedData(entry=entry, load=load, grants=grants, rows=load.row_count)


def get(ctx):
    if getattr(ctx, "shared", None) is None:
        ctx.shared = build(ctx.fixtures, ctx.scale(200_000, 20_000))
    return ctx.shared
