"""The fast paths of a load (catalog/datastore/fastpaths.py) decide exactly what the general path
(validate.normalise) decides: the same text for every value it accepts, a refusal (Slow) wherever
it refuses one or a required cell is empty. Checked over generated values, one at a time and as
whole columns, with the edge cases of each type. No database needed."""

import datetime as dt
import random
import re
import zoneinfo

import pytest

from catalog.datastore import CellError, Column, normalise
from catalog.datastore.fastpaths import Context, Slow, column_values
from tests.catalog.test_datastore_support import bad_check_digit, make_id

TYPES = ["string", "integer", "decimal", "date", "datetime", "id_number", "phone", "boolean", "uscc"]
ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")

DATES = [
    "2024-01-05",
    "2024-02-29",
    "2023-02-29",
    "1900-02-29",
    "2000-02-29",
    "2100-02-29",
    "1600-02-29",
    "2400-02-29",
    "2024-02-28",
    "2024-02-30",
    "2024-04-30",
    "2024-04-31",
    "2024-06-31",
    "2024-12-31",
    "2024-13-01",
    "2024-00-10",
    "2024-01-00",
    "2024-01-32",
    "0000-01-01",
    "0001-01-01",
    "0999-12-31",
    "9999-12-31",
    "1000-01-01",
    "2024-1-5",
    "2024/01/05",
    "2024.01.05",
    "20240105",
    "2024年1月5日",
    "２０２４－０１－０５",
    "2024-01-05 00:00:00",
    "24-01-05",
    "2024-01-05x",
    " 2024-01-05",
    "2024-01-05 ",
    "2024-01-05\u3000",
    "-2024-01-05",
    "+2024-01-05",
    "2024-01-5",
    "2024--01-05",
    "٢٠٢٤-٠١-٠٥",
    "2024-0１-05",
    "1986-05-04",
    "1991-09-15",
]
TIMES = [
    "00:00:00",
    "08:30:00",
    "23:59:59",
    "24:00:00",
    "23:60:00",
    "23:59:60",
    "12:00",
    "8:30:00",
    "08:30:00.5",
    "08:30:00Z",
    "08:30:00+09:00",
    "08:30:00 ",
    "02:30:00",
    "01:30:00",
    "00:30:00",
    "08:3O:00",
    "２３:００:００",
]
NUMBERS = [
    "0",
    "-0",
    "+0",
    "00",
    "007",
    "12",
    "-12",
    "+12",
    "1,234",
    "1,234.5",
    "12,34",
    "1.5",
    "5.0",
    "-5.00",
    ".5",
    "-.5",
    "5.",
    "1e3",
    "1E3",
    "1e-3",
    "-1.5e+2",
    "1e999999",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "１２",
    "１２.５",
    "0x10",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "999999999999999999",
    "1000000000000000000",
    "-999999999999999999",
    "123456789012.5",
    "1234567890123",
    "0.000000001",
    "-0.0",
    "0.50",
    "12.340",
    " 12",
    "12 ",
    "1 2",
    "1_000",
    "٣",
    "1" + "0" * 999,
    "1" + "0" * 1000,
    "0." + "0" * 998 + "1",
    "0." + "0" * 999 + "1",
    "-",
    ".",
    "",
    " ",
]
PHONES = [
    "13800138000",
    "12800138000",
    "19912345678",
    "1380013800",
    "138001380001",
    "110",
    "12345",
    "123456",
    "10",
    "010-12345678",
    "0571-88888888-123",
    "+86 138 0013 8000",
    "8613800138000",
    "0086-13800138000",
    "95588",
    "01234567890123456789",
    "012345678901234567890",
    "１３８００１３８０００",
    "138 0013 8000",
    "tel:110",
    "1",
    "00",
    "000",
]
STRINGS = [
    "张三",
    "a",
    " 张三",
    "张三 ",
    "\u3000张三",
    "张三\u3000",
    "张\u3000三",
    "张\x00三",
    "a\tb",
    "a\\b",
    "a\rb",
    "\x1c",
    "x\x1f",
    "\x85y",
    "\xa0z",
    "abcdef",
    "abcdefg",
    "=1+1",
    "",
    " ",
    "\u2028",
    "ok\u200b",
]


def id_numbers():
    good = [make_id(n) for n in range(40)]
    x = next(make_id(n) for n in range(1000) if make_id(n).endswith("X"))
    values = good + [
        x,
        x.lower(),
        bad_check_digit(good[0]),
        good[0][:-1],
        good[0] + "1",
        " " + good[0],
        good[0][:6] + "-" + good[0][6:],
        make_id(1, born="19901307"),
        make_id(1, born="20991231"),
        make_id(1, born="18491231"),
        make_id(1, born="18500101"),
        make_id(1, born="20000229"),
        make_id(1, born="19000229"),
        make_id(1, born="19960229"),
        make_id(1, born="19970229"),
        make_id(1, born="19970431"),
        make_id(1, region="000000"),
        make_id(1, region="910000"),
        make_id(1, region="810000"),
        make_id(1, region="720000"),
        make_id(1, region="540102"),
        make_id(1, born=dt.date.today().strftime("%Y%m%d")),
        make_id(1, born=(dt.date.today() + dt.timedelta(days=1)).strftime("%Y%m%d")),
        "11010119900307A51X",
        "１" + good[0][1:],
    ]
    return values


def generated(type_, rng):
    """Edge cases of the type, and random values close to its canonical form (one character changed)."""
    if type_ in ("date",):
        base = DATES
    elif type_ == "datetime":
        base = [f"{d}{sep}{t}" for d in DATES[:20] for sep in (" ", "T") for t in TIMES] + DATES[:10]
    elif type_ in ("integer", "decimal"):
        base = NUMBERS
    elif type_ == "phone":
        base = PHONES
    elif type_ == "id_number":
        base = id_numbers()
    elif type_ == "string":
        base = STRINGS
    else:
        base = ["是", "否", "true", "1", "0", "Y", "maybe", "91110108000000042X", ""]
    values = list(base)
    alphabet = "0123456789-:. T+eE,X\u3000１\x00\n"
    for value in base:
        for _ in range(6):
            if not value:
                continue
            i = rng.randrange(len(value))
            values.append(value[:i] + rng.choice(alphabet) + value[i + 1 :])
    return values


def general(column, value):
    try:
        return normalise(column, value)
    except CellError:
        return Slow


def fast(column, values, context):
    try:
        return column_values(column, values, context)
    except Slow:
        return Slow


COLUMNS = [
    Column("c", "列", t, length=length, required=required)
    for t in TYPES
    for length in (None, 6)
    for required in (False, True)
    if length is None or t in ("string", "decimal")
]


@pytest.mark.parametrize("column", COLUMNS, ids=lambda c: f"{c.type}-{c.length}-{'req' if c.required else 'opt'}")
def test_each_value_alone_gets_what_the_general_path_gives(column):
    context = Context(zone=ZONE)
    for value in generated(column.type, random.Random(column.type)):
        expected = general(column, value)
        if expected is None and column.required:
            expected = Slow
        got = fast(column, [value], context)
        assert got == (expected if expected is Slow else [expected]), (column.type, value)


@pytest.mark.parametrize("column", COLUMNS, ids=lambda c: f"{c.type}-{c.length}-{'req' if c.required else 'opt'}")
def test_whole_columns_get_what_the_general_path_gives(column):
    """Columns of canonical values (the joined pattern), with one odd value mixed in (a value
    alone), and with a value holding a line break that would look like two valid values."""
    rng = random.Random(column.type + "columns")
    context = Context(zone=ZONE)
    values = generated(column.type, rng)
    expected = {v: general(column, v) for v in values}
    accepted = [v for v in values if expected[v] is not Slow and (expected[v] is not None or not column.required)]
    for _ in range(150):
        batch = rng.sample(accepted, min(len(accepted), rng.randrange(1, 12)))
        if rng.random() < 0.4:
            batch.insert(rng.randrange(len(batch) + 1), rng.choice(values))
        if all(expected[v] is not Slow and (expected[v] is not None or not column.required) for v in batch):
            assert fast(column, batch, context) == [expected[v] for v in batch], batch
        else:
            assert fast(column, batch, context) is Slow, batch
    canonical = [v for v in accepted if expected[v] == v and v]
    if len(canonical) >= 2:
        glued = canonical[0] + "\n" + canonical[1]
        want = general(column, glued)
        want = Slow if want is Slow or (want is None and column.required) else [want]
        assert fast(column, [glued], context) == want


def test_dates_of_four_centuries_agree():
    column, context = Column("c", "列", "date"), Context(zone=ZONE)
    day, values = dt.date(1899, 12, 25), []
    while day < dt.date(2301, 1, 5):
        values.append(day.isoformat())
        day += dt.timedelta(days=1)
    assert column_values(column, values, context) == values
    for y in range(1896, 2405):
        text = f"{y:04d}-02-29"
        assert fast(column, [text], context) == ([text] if general(column, text) is not Slow else Slow)


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"])
def test_date_times_across_daylight_saving_changes_agree(zone, settings):
    """Shanghai kept daylight saving time 1986-1991; Lord Howe shifts by half an hour. Every hour
    and half hour of the days around each change gets the general path's offset."""
    settings.TIME_ZONE = zone
    column, context = Column("c", "列", "datetime"), Context()
    days = [
        dt.date(y, m, 1) + dt.timedelta(days=d)
        for y in (1940, 1986, 1988, 1991, 2024)
        for m in (3, 4, 9, 10, 11)
        for d in range(31)
    ]
    values = [f"{day.isoformat()} {h:02d}:{m:02d}:00" for day in days for h in range(24) for m in (0, 30)]
    assert column_values(column, values, context) == [normalise(column, v) for v in values]


def test_re_whitespace_is_what_strip_removes():
    space = re.compile(r"\s")
    odd = [c for c in map(chr, range(0x110000)) if bool(space.fullmatch(c)) != c.isspace()]
    assert odd == []


def test_today_is_read_once_per_load_and_only_refuses_more():
    column = Column("c", "列", "id_number")
    tomorrow = make_id(1, born=(dt.date.today() + dt.timedelta(days=1)).strftime("%Y%m%d"))
    today = make_id(1, born=dt.date.today().strftime("%Y%m%d"))
    assert fast(column, [today], Context()) == [today]
    assert fast(column, [tomorrow], Context()) is Slow
    # a context made yesterday sends today's births to the general path, which accepts them
    assert fast(column, [today], Context(today=dt.date.today() - dt.timedelta(days=1))) == [today]


# --- whole loads: batches checked column by column store and refuse what row-by-row checking does


def _mixed_rows(n: int, rng: random.Random, *, bad: bool) -> list[list[str]]:
    from tests.catalog.test_datastore_support import person

    # replacements of born, amount, children, mobile, employer, insured, registered_at (None: keep)
    odd = {
        1: ["2024/1/5", "１２.５", "", "+86 138 0013 8000", None, "否", "2024年1月5日 8时30分"],
        3: [" 2024-01-05 ", "1,234.50", "0", "010-12345678", "", "", "2024-01-05T08:30:15.5"],
        5: ["", "", "", "", "", "", ""],
        7: ["2024-02-29", "-0", "-3", "110", None, "Y", "1988-04-17 02:30:00"],
    }
    texts = ["a\tb", "back\\slash", "two\nlines", "cr\rhere", " spaced ", "=1+1", "全角　空格"]
    rows = []
    for i in range(n):
        row = person(i)
        kind = rng.randrange(12)
        if kind in odd:
            row[1] = f"{rng.choice(texts)}{i}"
            row[2:] = [row[2 + c] if o is None else o for c, o in enumerate(odd[kind])]
        rows.append(row)
    if bad:
        rows[1200][0] = bad_check_digit(rows[1200][0])
        rows[1201][2] = "2023-02-29"
        rows[2400][8] = "2024-01-05 24:00:00"
        rows[2999][1] = ""
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [False, True], ids=["valid", "with errors"])
def test_a_load_stores_and_refuses_what_the_general_path_does(tmp_path, monkeypatch, bad):
    """3,000 rows (three batches) of canonical and other accepted forms, empty optional cells,
    text needing COPY escapes; with errors, the same errors at the same lines."""
    import uuid

    from django.db import connection

    from catalog import datastore
    from catalog.datastore import fastpaths, load_file
    from tests.catalog.test_datastore_support import PEOPLE, write_csv

    path = write_csv(tmp_path / "mixed.csv", _mixed_rows(3000, random.Random(3), bad=bad))
    tables = [f"t_{uuid.uuid4().hex[:16]}" for _ in range(2)]
    fast_result = load_file(path, filename="mixed.csv", columns=PEOPLE, table=tables[0])

    def general_only(column, values, context):
        raise fastpaths.Slow

    monkeypatch.setattr(fastpaths, "column_values", general_only)
    general_result = load_file(path, filename="mixed.csv", columns=PEOPLE, table=tables[1])
    assert fast_result.ok is general_result.ok is (not bad)
    assert [(e.line, e.column, e.value, e.message) for e in fast_result.errors] == [
        (e.line, e.column, e.value, e.message) for e in general_result.errors
    ]
    assert (fast_result.row_count, fast_result.error_count, fast_result.rejected_rows) == (
        general_result.row_count,
        general_result.error_count,
        general_result.rejected_rows,
    )
    if not bad:
        with connection.cursor() as cursor:
            contents = []
            for name in tables:
                cursor.execute(f'SELECT * FROM "{datastore.SCHEMA}"."{name}" ORDER BY _row')
                contents.append(cursor.fetchall())
        assert len(contents[0]) == 3000 and contents[0] == contents[1]
        assert any("\t" in str(row) or "\\t" in repr(row) for row in contents[0])
        for name in tables:
            datastore.drop_table(name)
