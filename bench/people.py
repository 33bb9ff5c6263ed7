"""The people dataset of the benchmarks: 8 typical columns (ID number with valid check digits, name,
gender, birth date, phone, district, registration time, amount), written as a UTF-8 CSV. B7 loads
it; B3, B8 and B9 share it (bench/sharing_data.py)."""

from __future__ import annotations

import csv
import datetime as dt
import random


def columns():
    from catalog.datastore import Column

    return [
        Column("id_number", "身份证号", "id_number", 18, True),
        Column("name", "姓名", "string", 50, True),
        Column("gender", "性别", "string", 2),
        Column("birth_date", "出生日期", "date"),
        Column("phone", "手机号码", "phone"),
        Column("district", "所属区县", "string", 50),
        Column("registered_at", "登记时间", "datetime"),
        Column("amount", "补贴金额", "decimal", 12),
    ]


def make_csv(path, rows: int) -> int:
    from stdnum.cn import ric

    rng = random.Random(7)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
    districts = ["东城区", "西山县", "城关区", "堆龙德庆区", "达孜区", "林周县", "当雄县", "尼木县"]
    regions = ["540102", "540103", "540104", "540121", "540122", "110101", "510104", "330106"]
    start = dt.date(1940, 1, 1)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([c.name for c in columns()])
        for i in range(rows):
            born = start + dt.timedelta(days=rng.randrange(0, 29000))
            body = f"{rng.choice(regions)}{born:%Y%m%d}{i % 1000:03d}"
            number = body + ric.calc_check_digit(body + "0")
            name = rng.choice(surnames) + rng.choice(given) + (rng.choice(given) if i % 3 else "")
            w.writerow(
                [
                    number,
                    name,
                    "男" if int(body[16]) % 2 else "女",
                    born.isoformat(),
                    f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                    rng.choice(districts),
                    f"2025-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:00",
                    f"{rng.randrange(100, 500000) / 100:.2f}",
                ]
            )
    return path.stat().st_size
