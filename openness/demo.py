"""Demo open data: the open catalog resources of the demo city published as datasets (rows loaded
where the catalog demo has none), with masking rules, bureau approval, a second version, a stale
dataset, a withdrawn one with its notice, applications, and one uploaded dataset over 100,000
rows (12345 hotline tickets) loaded by COPY through the datastore's loader."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import time

from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import timezone
from stdnum.cn import uscc

from catalog import selectors as catalog_selectors
from catalog.demo import GIVEN, SURNAMES, fake_id_number, fake_uscc
from catalog.models import DataLoad
from catalog.services import loads
from openness.models import Dataset
from openness.services import applications, freshness, publishing, uploads, usage

BIG_ROWS = 105_000
TRADES = ["商贸", "科技", "餐饮", "建筑", "物流", "文化传媒", "农业开发", "医药"]
AREAS = ["城关区", "东城区", "西山县", "南湖区", "北岭区"]


def _person(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _date(rng, start=2005, span=7000):
    return (dt.date(start, 1, 1) + dt.timedelta(days=rng.randint(0, span))).isoformat()


def _person_uscc(rng):
    """A credit code of an individual business (个体工商户: authority 9, kind 2)."""
    body = f"92540100{rng.randint(0, 10**9 - 1):09d}"
    return body + uscc.calc_check_digit(body)


def _code(prefix, rng, digits=7):
    return f"{prefix}{rng.randint(10 ** (digits - 1), 10**digits - 1)}"


# item key -> value maker (rng, row number); digit runs stay short so that codes never look like
# phone or card numbers
VALUES = {
    "uscc": lambda rng, n: fake_uscc(rng),
    "company_name": lambda rng, n: f"示范市{rng.choice('鑫华泰安盛达兴隆')}{rng.choice(TRADES)}有限公司{n}",
    "legal_rep": lambda rng, n: _person(rng),
    "operator": lambda rng, n: _person(rng),
    "reg_capital": lambda rng, n: f"{rng.randint(10, 5000)}.00",
    "established": lambda rng, n: _date(rng, 1995, 10000),
    "status": lambda rng, n: rng.choice(["存续", "存续", "存续", "注销"]),
    "shop_name": lambda rng, n: (
        f"{rng.choice(AREAS)}{_person(rng)[:1]}记{rng.choice(['小吃店', '便利店', '理发店', '五金店'])}"
    ),
    "scope": lambda rng, n: rng.choice(["餐饮服务", "日用百货零售", "理发服务", "五金交电零售"]),
    "license_no": lambda rng, n: _code("JY154", rng),
    "valid_until": lambda rng, n: _date(rng, 2025, 1800),
    "decision_no": lambda rng, n: f"示市监罚〔2025〕{n}号",
    "penalty": lambda rng, n: rng.choice(["警告", "罚款 5000 元", "没收违法所得并罚款 2 万元", "责令改正"]),
    "decided_on": lambda rng, n: _date(rng, 2023, 700),
    "zone_code": lambda rng, n: f"ZB-{n:04d}",
    "zone_name": lambda rng, n: f"{rng.choice(AREAS)}{rng.choice(['居住', '工业', '生态保护', '农业'])}分区{n}",
    "area": lambda rng, n: f"{rng.randint(10, 9000)}.{rng.randint(0, 99):02d}",
    "parcel_no": lambda rng, n: f"SF-2025-{n:03d}",
    "location": lambda rng, n: (
        f"示范市{rng.choice(AREAS)}{rng.choice(['幸福路', '民族路', '江苏路'])}{rng.randint(1, 300)}号"
    ),
    "price": lambda rng, n: f"{rng.randint(500, 90000)}.00",
    "deal_date": lambda rng, n: _date(rng, 2024, 500),
    "cert_no": lambda rng, n: _code("ZG", rng, 8),
    "id_number": lambda rng, n: fake_id_number(
        rng, dt.date(1970, 1, 1) + dt.timedelta(days=rng.randint(0, 12000)), rng.random() < 0.5
    ),
    "title": lambda rng, n: rng.choice(["中级会计师", "电工", "育婴员", "焊工", "中式烹调师"]),
    "subject": lambda rng, n: rng.choice(["语文", "数学", "英语", "物理", "音乐"]),
    "org_name": lambda rng, n: (
        f"示范市{rng.choice(AREAS)}{rng.choice(['人民医院', '社区卫生服务中心', '养老院', '颐养中心'])}{n}"
    ),
    "category": lambda rng, n: rng.choice(["综合医院", "社区卫生服务中心", "诊所", "专科医院"]),
    "address": lambda rng, n: (
        f"示范市{rng.choice(AREAS)}{rng.choice(['幸福路', '民族路', '江苏路'])}{rng.randint(1, 300)}号"
    ),
    "beds": lambda rng, n: str(rng.randint(20, 400)),
    "school_name": lambda rng, n: f"示范市{rng.choice(AREAS)}第{n}{rng.choice(['小学', '中学', '幼儿园'])}",
    "kind": lambda rng, n: rng.choice(["公办", "民办"]),
    "community": lambda rng, n: f"{rng.choice(['幸福', '团结', '和平', '八一', '金珠'])}社区{n}",
    "households": lambda rng, n: str(rng.randint(300, 5000)),
    "phone": lambda rng, n: f"0891-6{rng.randint(100000, 999999)}",
    "market": lambda rng, n: f"西山县{rng.choice(['城关', '河西', '桥头'])}农贸市场{n}",
    "stalls": lambda rng, n: str(rng.randint(30, 400)),
    "item_code": lambda rng, n: f"SX-{rng.randint(100, 999)}-{n:05d}",
    "dept": lambda rng, n: rng.choice(["市市场监管局", "市公安局", "市民政局", "市人社局", "市教育局"]),
    "finished": lambda rng, n: f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(8, 17):02d}:30:00",
}

# catalog resources to open: name -> (rows, masking rules that differ from the defaults)
OPEN = {
    "企业营业执照信息": (0, {}),  # rows loaded by the catalog demo
    "法人单位基础信息": (60, {}),
    "个体工商户登记信息": (80, {"uscc": {"rule": "hash"}}),  # codes of individuals: personal data
    "食品经营许可证信息": (90, {}),
    "市场监管行政处罚信息": (40, {}),
    "国土空间规划数据": (30, {}),
    "土地出让信息": (25, {}),
    "职业资格证书信息": (70, {}),
    "医疗机构执业许可信息": (45, {}),
    "社会组织登记信息": (35, {}),
    "养老机构信息": (20, {}),
    "学校基本信息": (60, {}),
    "教师资格证书信息": (50, {}),
    "东城区社区基础信息": (18, {}),
    "西山县农贸市场信息": (12, {}),
    "政务服务事项办件信息": (150, {}),
}


def default_rule(item: dict) -> dict:
    if item["type"] == "id_number":
        return {"rule": "keep_first_last", "first": 6, "last": 4}
    if item.get("sensitive"):
        if item["type"] == "date":
            return {"rule": "year"}
        if item["type"] == "phone":
            return {"rule": "keep_first_last", "first": 3, "last": 4}
        return {"rule": "keep_first", "first": 1}
    return {"rule": "none"}


def _rows_csv(rng, items: list[dict], count: int, makers: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([i["name"] for i in items])
    for n in range(1, count + 1):
        writer.writerow([makers[i["key"]](rng, n) if i["key"] in makers else f"{i['name']}{n}" for i in items])
    return out.getvalue().encode("utf-8")


def _load(officer, entry, rng, count) -> None:
    items = list(entry.published_version.items.order_by("position").values("key", "name", "type"))
    makers = dict(VALUES)
    if entry.published_version.name == "个体工商户登记信息":
        makers["uscc"] = lambda r, n: _person_uscc(r)
    content = _rows_csv(rng, items, count, makers)
    upload = SimpleUploadedFile(f"{entry.code}.csv", content, content_type="text/csv")
    load = loads.load_start(actor=officer, entry=entry, upload=upload)
    load.refresh_from_db()
    if load.status != DataLoad.Status.SUCCEEDED:
        raise RuntimeError(f"demo load of {entry} failed: {load.message} {load.errors[:3]}")


def _publish(officer, reviewer, entry, overrides, change_note=""):
    items = entry.published_version.items.order_by("position").values("key", "type", "sensitive")
    choices = [{"key": i["key"], **overrides.get(i["key"], default_rule(i))} for i in items]
    version = publishing.version_propose(
        actor=officer, entry=entry, items=choices, metadata={"change_note": change_note}
    )
    return publishing.version_approve(actor=reviewer, version=version, comment="脱敏检查通过，同意发布")


def _hotline_file(rng, count: int) -> TemporaryUploadedFile:
    """A CSV of count tickets, written to a temporary file column by column (a few tenths of a second)."""
    upload = TemporaryUploadedFile("12345热线工单2025.csv", "text/csv", 0, "utf-8")
    kinds = ["噪音扰民", "道路维修", "供水供电", "物业纠纷", "市场价格", "医疗卫生", "教育招生", "劳动保障"]
    start = dt.date(2025, 1, 1)
    days = [(start + dt.timedelta(days=d)).isoformat() for d in range(365)]
    columns = [
        [f"RX2025A{n:06d}" for n in range(1, count + 1)],
        [days[n * 364 // count] for n in range(count)],
        rng.choices(AREAS, k=count),
        rng.choices(kinds, k=count),
        rng.choices(["已办结", "办理中"], weights=[3, 1], k=count),
        rng.choices(["满意", "基本满意", "不满意"], weights=[6, 3, 1], k=count),
    ]
    text = io.TextIOWrapper(upload.file, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(["工单编号", "受理日期", "区县", "诉求类别", "办理状态", "满意度"])
    writer.writerows(zip(*columns))
    text.flush()
    text.detach()
    upload.size = upload.file.tell()
    upload.file.seek(0)
    return upload


def _upload_dataset(officer, reviewer, upload, metadata, columns_rule=None):
    stored = uploads.upload_create(actor=officer, department=officer.department, upload=upload)
    items = [{"key": c["key"], "rule": "none"} for c in stored.columns]
    version = publishing.version_propose(actor=officer, upload=stored, items=items, metadata=metadata)
    return publishing.version_approve(actor=reviewer, version=version, comment="同意发布")


def seed(*, users: dict, officers: dict) -> str:
    """Publish the demo datasets (skipping what exists)."""
    started = time.monotonic()
    reviewer = users["reviewer"]
    rng = random.Random(20261125)
    published = 0
    entries = {e.published_version.name: e for e in catalog_selectors.published_entries()}
    by_department = {officer.department_id: officer for officer in officers.values()}
    for name, (count, overrides) in OPEN.items():
        entry = entries.get(name)
        if entry is None or Dataset.objects.filter(entry=entry).exists():
            continue
        officer = by_department[entry.department_id]
        if count or loads.latest_load(entry) is None:
            _load(officer, entry, rng, count or 50)
        _publish(officer, reviewer, entry, overrides)
        published += 1
    # a second version (the first stays downloadable, superseded); the catalog demo's own loads are left alone
    legal = entries.get("法人单位基础信息")
    if legal is not None and Dataset.objects.filter(entry=legal, published_version__number=1).exists():
        officer = by_department[legal.department_id]
        _load(officer, legal, rng, 75)
        _publish(officer, reviewer, legal, {}, change_note="新增 2025 年第四季度登记的法人单位")
    dsj = officers.get("dsj")
    title = "12345 政务服务便民热线工单（2025年）"
    if dsj is not None and not Dataset.objects.filter(published_version__title=title).exists():
        _upload_dataset(
            dsj,
            reviewer,
            _hotline_file(rng, BIG_ROWS),
            {
                "title": title,
                "summary": "12345 热线 2025 年受理的工单：受理日期、区县、诉求类别、办理状态和满意度，不含来电人信息。",
                "theme": "政务服务",
                "update_frequency": "monthly",
                "open_type": "unconditional",
            },
        )
        published += 1
    _demo_activity(users, officers, reviewer, rng)
    seconds = time.monotonic() - started
    return f"{published} datasets published, {Dataset.objects.filter(withdrawn_at=None).count()} open ({seconds:.1f} s)"


def _demo_activity(users, officers, reviewer, rng) -> None:
    """A stale dataset, a withdrawn one, applications and some downloads, once."""
    xs = officers.get("xs-scjgj")
    pilot = "西山县农贸市场价格监测（2019年试点）"
    if xs is None or Dataset.objects.filter(published_version__title=pilot).exists():
        return
    content = "市场,品名,日期,价格（元/斤）\n" + "".join(
        f"西山县城关农贸市场,{rng.choice(['大米', '猪肉', '鸡蛋', '白菜'])},2019-0{m}-15,{rng.randint(2, 30)}.{rng.randint(0, 9)}\n"
        for m in range(1, 10)
    )
    version = _upload_dataset(
        xs,
        reviewer,
        SimpleUploadedFile("价格监测.csv", content.encode("utf-8")),
        {
            "title": pilot,
            "summary": "2019 年试点采集的农贸市场主要商品价格。",
            "theme": "市场监管",
            "update_frequency": "irregular",
            "open_type": "unconditional",
        },
    )
    publishing.dataset_withdraw(
        actor=xs, dataset=version.dataset, reason="试点已结束，数据不再更新，请使用省级价格监测平台数据。"
    )
    land = Dataset.objects.filter(published_version__title="土地出让信息").first()
    if land is not None:
        Dataset.objects.filter(pk=land.pk).update(update_due_at=timezone.now() - dt.timedelta(days=3))
        freshness.mark_stale()
    citizen = users.get("citizen")
    certificates = Dataset.objects.filter(published_version__title="职业资格证书信息").first()
    traders = Dataset.objects.filter(published_version__title="个体工商户登记信息").first()
    if citizen is not None and certificates is not None and traders is not None:
        application = applications.application_submit(
            actor=citizen,
            dataset=certificates,
            purpose="核验求职者的职业资格",
            intended_use="仅用于本单位招聘核验，不对外提供",
        )
        applications.application_approve(actor=officers["rsj"], application=application, answer="同意，限招聘核验使用")
        applications.application_submit(
            actor=citizen,
            dataset=traders,
            purpose="研究城区个体经济分布",
            intended_use="学位论文统计分析，结果只发布汇总数据",
        )
    for dataset in Dataset.objects.filter(withdrawn_at=None, published_version__open_type="unconditional"):
        for _n in range(rng.choice([0, 1, 2, 3, 5, 8, 13])):
            usage.download_start(
                actor=None,
                dataset=dataset,
                version=dataset.published_version,
                fmt=rng.choice(usage.FORMATS),
                channel="demo",
            )
    usage.flush_usage()
