"""Demo catalog of the demo city: realistic entries across departments and share types, some with
loaded rows of fake people and companies whose ID numbers and credit codes are valid (made here)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import ric, uscc

from catalog.models import DataLoad, ResourceEntry
from catalog.services import entries, loads

S, I, D, DT, B, ID, CC, PH, DEC = (  # noqa: E741 (the item types by their initials)
    "string",
    "integer",
    "date",
    "datetime",
    "boolean",
    "id_number",
    "uscc",
    "phone",
    "decimal",
)


def item(key, name, type_=S, length=None, required=False, sensitive=False):
    return {
        "key": key,
        "name": name,
        "type": type_,
        "length": length,
        "required": required,
        "sensitive": sensitive,
        "description": "",
    }


PERSON = [
    item("name", "姓名", S, 50, True, True),
    item("id_number", "身份证号", ID, 18, True, True),
    item("gender", "性别", S, 2),
    item("birth_date", "出生日期", D),
    item("address", "住址", S, 200, False, True),
]
COMPANY = [
    item("uscc", "统一社会信用代码", CC, 18, True),
    item("company_name", "企业名称", S, 200, True),
    item("legal_rep", "法定代表人", S, 50, True, True),
    item("reg_capital", "注册资本（万元）", DEC),
    item("established", "成立日期", D),
    item("status", "登记状态", S, 20),
]

LAW_POLICE = "《中华人民共和国居民身份证法》第六条、第十三条；《中华人民共和国个人信息保护法》第三十四条"
LAW_MARKET = "《企业信息公示暂行条例》第六条、第七条"
LAW_SOCIAL = "《中华人民共和国社会保险法》第八十一条"
LAW_HEALTH = "《中华人民共和国基本医疗卫生与健康促进法》第九十二条"
LAW_SECRET = "《中华人民共和国刑事诉讼法》第五十四条；《公安机关办理刑事案件程序规定》"
NOT_OPEN = "涉及个人信息，依《中华人民共和国个人信息保护法》不予开放"

# (department code, name, summary, category, base_kind, theme, share_type, condition, modes, open_type,
#  open_condition, legal_basis, frequency, items, status)
ENTRIES = [
    (
        "gaj",
        "人口基础信息",
        "全市户籍人口和登记居住人口的姓名、身份证号、性别、出生日期、住址等基础信息。",
        "base",
        "population",
        "",
        "unconditional",
        "",
        [],
        "not_open",
        NOT_OPEN,
        LAW_POLICE,
        "daily",
        PERSON,
        "published",
    ),
    (
        "gaj",
        "居民身份证电子证照",
        "居民身份证电子证照信息，用于政务服务身份核验。",
        "base",
        "e_license",
        "",
        "unconditional",
        "",
        [],
        "not_open",
        NOT_OPEN,
        LAW_POLICE,
        "realtime",
        [
            item("name", "姓名", S, 50, True, True),
            item("id_number", "身份证号", ID, 18, True, True),
            item("valid_until", "有效期限", D),
        ],
        "published",
    ),
    (
        "gaj",
        "户籍迁移信息",
        "户口迁入、迁出登记信息。",
        "department",
        "",
        "社区治理",
        "conditional",
        "仅向民政、人社、教育部门提供，用于核实户籍状态。",
        ["query", "compare"],
        "not_open",
        NOT_OPEN,
        LAW_POLICE,
        "daily",
        [
            item("id_number", "身份证号", ID, 18, True, True),
            item("move_type", "迁移类型", S, 10, True),
            item("move_date", "迁移日期", D, None, True),
            item("from_area", "迁出地", S, 100),
        ],
        "published",
    ),
    (
        "gaj",
        "机动车驾驶证电子证照",
        "机动车驾驶证电子证照及准驾车型、有效期。",
        "base",
        "e_license",
        "",
        "unconditional",
        "",
        [],
        "not_open",
        NOT_OPEN,
        LAW_POLICE,
        "daily",
        [
            item("id_number", "身份证号", ID, 18, True, True),
            item("license_class", "准驾车型", S, 10),
            item("valid_until", "有效期至", D),
        ],
        "published",
    ),
    (
        "gaj",
        "违法犯罪记录信息",
        "公安机关办理刑事案件形成的违法犯罪记录。",
        "department",
        "",
        "",
        "not_shared",
        "",
        [],
        "not_open",
        NOT_OPEN,
        LAW_SECRET,
        "daily",
        [item("id_number", "身份证号", ID, 18, True, True), item("record_type", "记录类别", S, 20)],
        "published",
    ),
    (
        "gaj",
        "出入境证件签发信息",
        "护照、往来港澳通行证签发信息。",
        "department",
        "",
        "",
        "conditional",
        "仅可比对，用于核验出入境证件真伪。",
        ["compare"],
        "not_open",
        NOT_OPEN,
        LAW_POLICE,
        "daily",
        [
            item("id_number", "身份证号", ID, 18, True, True),
            item("doc_no", "证件号码", S, 20, True),
            item("issue_date", "签发日期", D),
        ],
        "draft",
    ),
    (
        "scjgj",
        "企业营业执照信息",
        "全市企业营业执照登记信息，含统一社会信用代码、企业名称、法定代表人等。",
        "base",
        "e_license",
        "",
        "unconditional",
        "",
        [],
        "unconditional",
        "",
        LAW_MARKET,
        "daily",
        COMPANY,
        "published",
    ),
    (
        "scjgj",
        "法人单位基础信息",
        "企业、机关、事业单位、社会组织等法人单位基础信息。",
        "base",
        "legal_person",
        "",
        "unconditional",
        "",
        [],
        "unconditional",
        "",
        LAW_MARKET,
        "daily",
        COMPANY[:3],
        "published",
    ),
    (
        "scjgj",
        "个体工商户登记信息",
        "个体工商户名称、经营者、经营场所和经营范围。",
        "department",
        "",
        "市场监管",
        "unconditional",
        "",
        [],
        "on_application",
        "经营者个人信息依申请开放",
        LAW_MARKET,
        "weekly",
        [
            item("uscc", "统一社会信用代码", CC, 18, True),
            item("shop_name", "字号名称", S, 100, True),
            item("operator", "经营者", S, 50, True, True),
            item("scope", "经营范围", S, 500),
        ],
        "published",
    ),
    (
        "scjgj",
        "食品经营许可证信息",
        "食品经营许可证电子证照。",
        "base",
        "e_license",
        "",
        "unconditional",
        "",
        [],
        "unconditional",
        "",
        LAW_MARKET,
        "daily",
        [
            item("license_no", "许可证编号", S, 30, True),
            item("uscc", "统一社会信用代码", CC, 18, True),
            item("valid_until", "有效期至", D),
        ],
        "published",
    ),
    (
        "scjgj",
        "市场监管行政处罚信息",
        "市场监管领域行政处罚决定信息，纳入信用体系。",
        "theme",
        "",
        "信用体系",
        "unconditional",
        "",
        [],
        "unconditional",
        "",
        LAW_MARKET,
        "weekly",
        [
            item("uscc", "统一社会信用代码", CC, 18, True),
            item("decision_no", "处罚决定书文号", S, 50, True),
            item("penalty", "处罚内容", S, 500),
            item("decided_on", "处罚日期", D),
        ],
        "published",
    ),
    (
        "scjgj",
        "企业年度报告信息",
        "企业年度报告公示信息。",
        "department",
        "",
        "信用体系",
        "conditional",
        "仅可提供统计结果，用于经济运行分析。",
        ["statistics"],
        "on_application",
        "依申请开放统计结果",
        LAW_MARKET,
        "yearly",
        [
            item("uscc", "统一社会信用代码", CC, 18, True),
            item("year", "年度", I, None, True),
            item("employees", "从业人数", I),
            item("revenue", "营业总收入（万元）", DEC),
        ],
        "submitted",
    ),
    (
        "scjgj",
        "特种设备检验信息",
        "电梯、锅炉等特种设备定期检验结果。",
        "department",
        "",
        "安全生产",
        "unconditional",
        "",
        [],
        "unconditional",
        "",
        "",
        "monthly",
        [
            item("device_no", "设备编号", S, 30, True),
            item("uscc", "使用单位信用代码", CC, 18),
            item("result", "检验结论", S, 20),
            item("next_date", "下次检验日期", D),
        ],
        "returned",
    ),
    (
        "zrzyj",
        "国土空间规划数据",
        "市级国土空间总体规划分区和用途管制数据。",
        "base",
        "geo",
        "",
        "unconditional",
        "",
        [],
        "unconditional",
        "",
        "《中华人民共和国土地管理法》第十八条",
        "yearly",
        [
            item("zone_code", "分区编码", S, 20, True),
            item("zone_name", "分区名称", S, 100, True),
            item("area", "面积（公顷）", DEC),
        ],
        "published",
    ),
    (
        "zrzyj",
        "不动产登记信息",
        "不动产权利人、坐落、权利类型和登记时间。",
        "department",
        "",
        "城乡建设",
        "conditional",
        "仅向税务、法院、公积金等部门提供，用于依法查询。",
        ["query", "compare"],
        "not_open",
        "涉及权利人个人信息",
        "《不动产登记暂行条例》第二十七条",
        "daily",
        [
            item("cert_no", "不动产权证号", S, 40, True),
            item("owner", "权利人", S, 100, True, True),
            item("owner_id", "权利人证件号", ID, 18, False, True),
            item("location", "坐落", S, 200),
        ],
        "published",
    ),
    (
        "zrzyj",
        "土地出让信息",
        "国有建设用地使用权出让结果。",
        "department",
        "",
        "城乡建设",
        "unconditional",
        "",
        [],
        "unconditional",
        "",
        "",
        "monthly",
        [
            item("parcel_no", "宗地编号", S, 30, True),
            item("location", "位置", S, 200),
            item("price", "成交价（万元）", DEC),
            item("deal_date", "成交日期", D),
        ],
        "published",
    ),
    (
        "rsj",
        "社会保险参保信息",
        "养老、医疗、失业、工伤保险参保登记和缴费状态。",
        "theme",
        "",
        "社会保障",
        "conditional",
        "仅向民政、卫健、医保部门提供，用于待遇核定。",
        ["query", "compare", "statistics"],
        "not_open",
        NOT_OPEN,
        LAW_SOCIAL,
        "monthly",
        [
            item("id_number", "身份证号", ID, 18, True, True),
            item("name", "姓名", S, 50, True, True),
            item("insurance", "险种", S, 20, True),
            item("status", "参保状态", S, 10),
            item("since", "参保日期", D),
        ],
        "published",
    ),
    (
        "rsj",
        "就业登记信息",
        "城镇就业和失业登记信息。",
        "department",
        "",
        "社会保障",
        "conditional",
        "仅可比对就业状态。",
        ["compare"],
        "not_open",
        NOT_OPEN,
        LAW_SOCIAL,
        "monthly",
        [item("id_number", "身份证号", ID, 18, True, True), item("employment", "就业状态", S, 10)],
        "published",
    ),
    (
        "rsj",
        "职业资格证书信息",
        "专业技术人员和技能人员职业资格证书电子证照。",
        "base",
        "e_license",
        "",
        "unconditional",
        "",
        [],
        "on_application",
        "持证人信息依申请开放",
        LAW_SOCIAL,
        "weekly",
        [
            item("cert_no", "证书编号", S, 30, True),
            item("id_number", "身份证号", ID, 18, True, True),
            item("title", "资格名称", S, 100),
        ],
        "published",
    ),
    (
        "wjw",
        "出生医学证明信息",
        "出生医学证明电子证照。",
        "base",
        "e_license",
        "",
        "unconditional",
        "",
        [],
        "not_open",
        NOT_OPEN,
        LAW_HEALTH,
        "daily",
        [
            item("cert_no", "证明编号", S, 30, True),
            item("baby_name", "新生儿姓名", S, 50, True, True),
            item("birth_date", "出生日期", D, None, True),
            item("mother_id", "母亲身份证号", ID, 18, False, True),
        ],
        "published",
    ),
    (
        "wjw",
        "医疗机构执业许可信息",
        "医疗机构名称、类别、执业地址和诊疗科目。",
        "department",
        "",
        "健康保障",
        "unconditional",
        "",
        [],
        "unconditional",
        "",
        "",
        "monthly",
        [
            item("uscc", "统一社会信用代码", CC, 18, True),
            item("org_name", "机构名称", S, 200, True),
            item("category", "机构类别", S, 50),
            item("address", "执业地址", S, 200),
        ],
        "published",
    ),
    (
        "wjw",
        "预防接种记录",
        "儿童预防接种记录。",
        "department",
        "",
        "健康保障",
        "conditional",
        "仅向教育部门提供入学查验结果。",
        ["compare"],
        "not_open",
        NOT_OPEN,
        "《中华人民共和国疫苗管理法》第四十八条",
        "daily",
        [
            item("id_number", "身份证号", ID, 18, True, True),
            item("vaccine", "疫苗名称", S, 50),
            item("dose_date", "接种日期", D),
        ],
        "published",
    ),
    (
        "mzj",
        "婚姻登记信息",
        "结婚、离婚登记信息。",
        "department",
        "",
        "",
        "conditional",
        "仅向法院、公安、不动产登记部门提供查询。",
        ["query", "compare"],
        "not_open",
        NOT_OPEN,
        "《婚姻登记条例》",
        "daily",
        [
            item("id_number", "身份证号", ID, 18, True, True),
            item("reg_type", "登记类型", S, 10, True),
            item("reg_date", "登记日期", D, None, True),
        ],
        "published",
    ),
    (
        "mzj",
        "社会组织登记信息",
        "社会团体、民办非企业单位和基金会登记信息。",
        "base",
        "legal_person",
        "",
        "unconditional",
        "",
        [],
        "unconditional",
        "",
        "《社会团体登记管理条例》",
        "monthly",
        COMPANY[:3],
        "published",
    ),
    (
        "mzj",
        "最低生活保障对象信息",
        "城乡低保对象及保障金额。",
        "theme",
        "",
        "社会保障",
        "conditional",
        "仅可提供统计结果。",
        ["statistics"],
        "not_open",
        NOT_OPEN,
        "《社会救助暂行办法》第六十二条",
        "monthly",
        [
            item("id_number", "身份证号", ID, 18, True, True),
            item("area", "所属区县", S, 50),
            item("amount", "月保障金额（元）", DEC),
        ],
        "published",
    ),
    (
        "mzj",
        "养老机构信息",
        "养老机构名称、床位数和地址。",
        "department",
        "",
        "社会保障",
        "unconditional",
        "",
        [],
        "unconditional",
        "",
        "",
        "quarterly",
        [
            item("uscc", "统一社会信用代码", CC, 18, True),
            item("org_name", "机构名称", S, 200, True),
            item("beds", "床位数", I),
        ],
        "published",
    ),
    (
        "jyj",
        "学校基本信息",
        "全市中小学、幼儿园名称、办学性质和地址。",
        "department",
        "",
        "教育",
        "unconditional",
        "",
        [],
        "unconditional",
        "",
        "",
        "yearly",
        [
            item("uscc", "统一社会信用代码", CC, 18, True),
            item("school_name", "学校名称", S, 200, True),
            item("kind", "办学类型", S, 20),
            item("address", "地址", S, 200),
        ],
        "published",
    ),
    (
        "jyj",
        "学生学籍信息",
        "在校学生学籍信息。",
        "department",
        "",
        "教育",
        "conditional",
        "仅可比对，用于资助和入学资格核验。",
        ["compare"],
        "not_open",
        NOT_OPEN,
        "《中小学生学籍管理办法》第二十四条",
        "monthly",
        [
            item("id_number", "身份证号", ID, 18, True, True),
            item("school", "学校", S, 200),
            item("grade", "年级", S, 10),
        ],
        "published",
    ),
    (
        "jyj",
        "教师资格证书信息",
        "教师资格证书电子证照。",
        "base",
        "e_license",
        "",
        "unconditional",
        "",
        [],
        "on_application",
        "持证人信息依申请开放",
        "《教师资格条例》",
        "monthly",
        [
            item("cert_no", "证书编号", S, 30, True),
            item("id_number", "身份证号", ID, 18, True, True),
            item("subject", "任教学科", S, 50),
        ],
        "published",
    ),
    (
        "dc-mzj",
        "东城区社区基础信息",
        "东城区社区（村）名称、范围和服务设施。",
        "department",
        "",
        "社区治理",
        "unconditional",
        "",
        [],
        "unconditional",
        "",
        "",
        "yearly",
        [item("community", "社区名称", S, 100, True), item("households", "户数", I), item("phone", "服务电话", PH)],
        "published",
    ),
    (
        "xs-scjgj",
        "西山县农贸市场信息",
        "西山县农贸市场名称、开办者和摊位数。",
        "department",
        "",
        "市场监管",
        "unconditional",
        "",
        [],
        "unconditional",
        "",
        "",
        "quarterly",
        [item("market", "市场名称", S, 100, True), item("uscc", "开办者信用代码", CC, 18), item("stalls", "摊位数", I)],
        "published",
    ),
    (
        "dsj",
        "政务服务事项办件信息",
        "各部门政务服务事项办件量和办结时间。",
        "theme",
        "",
        "政务服务",
        "unconditional",
        "",
        [],
        "unconditional",
        "",
        "",
        "daily",
        [
            item("item_code", "事项编码", S, 40, True),
            item("dept", "办理部门", S, 100),
            item("finished", "办结时间", DT),
        ],
        "published",
    ),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"


def fake_id_number(rng: random.Random, birth: dt.date, female: bool) -> str:
    body = f"540102{birth:%Y%m%d}{rng.randint(0, 99):02d}{rng.choice('02468' if female else '13579')}"
    return body + ric.calc_check_digit(body + "0")  # the library expects a placeholder check digit


def fake_uscc(rng: random.Random) -> str:
    body = f"91540100{rng.randint(0, 10**8 - 1):08d}" + rng.choice("0123456789")
    return body + uscc.calc_check_digit(body)


def people_csv(rng: random.Random, count: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["姓名", "身份证号", "性别", "出生日期", "住址"])
    for _ in range(count):
        female = rng.random() < 0.5
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 55))
        writer.writerow(
            [
                rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
                fake_id_number(rng, birth, female),
                "女" if female else "男",
                birth.isoformat(),
                f"示范市东城区幸福路{rng.randint(1, 300)}号",
            ]
        )
    return out.getvalue()


def companies_csv(rng: random.Random, count: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["统一社会信用代码", "企业名称", "法定代表人", "注册资本（万元）", "成立日期", "登记状态"])
    trades = ["商贸", "科技", "餐饮", "建筑", "物流", "文化传媒", "农业开发", "医药"]
    for n in range(count):
        writer.writerow(
            [
                fake_uscc(rng),
                f"示范市{rng.choice('鑫华泰安盛达兴隆')}{rng.choice(trades)}有限公司{n + 1}",
                rng.choice(SURNAMES) + rng.choice(GIVEN),
                f"{rng.randint(10, 5000)}.00",
                (dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 9000))).isoformat(),
                rng.choice(["存续", "存续", "存续", "注销"]),
            ]
        )
    return out.getvalue()


ROWS = {"人口基础信息": (people_csv, 300), "企业营业执照信息": (companies_csv, 200)}


def seed(*, users: dict, officers: dict) -> str:
    """Create the demo entries (skipping names that exist)."""
    reviewer = users["reviewer"]
    rng = random.Random(20261124)
    created = 0
    for (
        dept_code,
        name,
        summary,
        category,
        base_kind,
        theme,
        share_type,
        condition,
        modes,
        open_type,
        open_condition,
        legal_basis,
        frequency,
        items,
        status,
    ) in ENTRIES:
        officer = officers[dept_code]
        if ResourceEntry.objects.filter(department=officer.department, versions__name=name).exists():
            continue
        content = {
            "name": name,
            "summary": summary,
            "category": category,
            "base_kind": base_kind,
            "theme": theme,
            "share_type": share_type,
            "share_condition": condition,
            "share_modes": modes,
            "open_type": open_type,
            "open_condition": open_condition,
            "legal_basis": legal_basis,
            "update_frequency": frequency,
            "data_format": "database",
            "share_method": "api",
        }
        entry = entries.entry_create(actor=officer, department=officer.department, content=content, items=items)
        created += 1
        if status in ("submitted", "published", "returned"):
            entries.entry_submit(actor=officer, entry=entry)
        if status == "published":
            entries.entry_approve(actor=reviewer, entry=entry, comment="符合目录编制要求")
        elif status == "returned":
            entries.entry_return(
                actor=reviewer, entry=entry, reasons="未填写共享条件对应的法律依据，请补充后重新提交。"
            )
        if name in ROWS:
            maker, count = ROWS[name]
            content = maker(rng, count).encode("utf-8")
            upload = SimpleUploadedFile(f"{name}.csv", content, content_type="text/csv")
            load = loads.load_start(actor=officer, entry=entry, upload=upload)
            load.refresh_from_db()
            if load.status != DataLoad.Status.SUCCEEDED:
                raise RuntimeError(f"demo load of {name} failed: {load.message} {load.errors[:3]}")
    return f"{created} new entries"
