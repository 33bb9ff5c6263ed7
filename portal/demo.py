"""The demo city: departments and one account per role (used by `manage.py seed_demo` and tests)."""

from stdnum.cn import uscc

from portal.roles import Role

DEMO_PASSWORD = "Shuju#2026"


def make_uscc(region: str, serial: int) -> str:
    """A valid unified social credit code of a government organ (登记管理部门 1, 机关 1)."""
    body = f"11{region}{serial:08d}X"[:17]
    return body + uscc.calc_check_digit(body)


# (code, name, level, parent code, is_bureau, region)
DEPARTMENTS = [
    ("city", "示范市人民政府", "city", None, False, "540100"),
    ("dongcheng", "东城区人民政府", "county", "city", False, "540102"),
    ("xishan", "西山县人民政府", "county", "city", False, "540121"),
    ("dsj", "示范市大数据发展管理局", "department", "city", True, "540100"),
    ("gaj", "示范市公安局", "department", "city", False, "540100"),
    ("scjgj", "示范市市场监督管理局", "department", "city", False, "540100"),
    ("zrzyj", "示范市自然资源局", "department", "city", False, "540100"),
    ("rsj", "示范市人力资源和社会保障局", "department", "city", False, "540100"),
    ("wjw", "示范市卫生健康委员会", "department", "city", False, "540100"),
    ("mzj", "示范市民政局", "department", "city", False, "540100"),
    ("jyj", "示范市教育局", "department", "city", False, "540100"),
    ("dc-mzj", "东城区民政局", "department", "dongcheng", False, "540102"),
    ("xs-scjgj", "西山县市场监督管理局", "department", "xishan", False, "540121"),
]

# (username, real name, department code, roles)
USERS = [
    ("admin", "王管理", "dsj", [Role.BUREAU_ADMIN]),
    ("reviewer", "李审核", "dsj", [Role.BUREAU_REVIEWER]),
    ("auditor", "赵审计", "dsj", [Role.AUDITOR]),
    ("officer", "陈数据", "scjgj", [Role.DATA_OFFICER]),
    ("officer_gaj", "刘专员", "gaj", [Role.DATA_OFFICER]),
    ("staff", "张科员", "gaj", [Role.DEPARTMENT_STAFF]),
    ("citizen", "周公众", None, [Role.PUBLIC]),
]

# One data officer for each other department, so that every department maintains its catalog.
OFFICERS = {
    "gaj": "officer_gaj",
    "scjgj": "officer",
    "zrzyj": "officer_zrzyj",
    "rsj": "officer_rsj",
    "wjw": "officer_wjw",
    "mzj": "officer_mzj",
    "jyj": "officer_jyj",
    "dc-mzj": "officer_dcmzj",
    "xs-scjgj": "officer_xsscj",
    "dsj": "officer_dsj",
}
_NAMES = iter("吴规划 郑社保 孙卫健 钱民政 冯教育 卫东城 蒋西山 沈数据".split())
USERS += [
    (username, next(_NAMES), code, [Role.DATA_OFFICER])
    for code, username in OFFICERS.items()
    if username not in {u[0] for u in USERS}
]
