"""SECURITY.md 14.12: the personal-data check normalises before matching (NFKC, separators dropped), for every
kind it detects, in Python and in the PostgreSQL pre-filter; masked values are checked the same way."""

import pytest
from django.db import connection
from stdnum import luhn

from catalog import datastore
from catalog.datastore import Column, detector, load_file, masking
from catalog.datastore.masking import Rule
from tests.openness.factories import make_id, make_uscc

NOTE = [Column(key="note", name="备注", type="string")]


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


def spaced(value: str, sizes, sep=" ") -> str:
    parts, start = [], 0
    for size in sizes:
        parts.append(value[start : start + size])
        start += size
    return sep.join(parts + ([value[start:]] if start < len(value) else []))


ID = make_id(123)
CARD = "622202123456789" + luhn.calc_check_digit("622202123456789")
PERSON = make_uscc(7, kind="92")

WRITTEN = [
    ("id_number", f"身份证 {spaced(ID, [6, 8])}"),
    ("id_number", f"身份证{spaced(ID, [6, 4, 4], '-')}"),
    ("id_number", f"身份证{spaced(ID, [3, 3, 4, 4], ' - ')}"),
    ("id_number", f"身份证{full_width(ID)}"),
    ("id_number", f"身份证 {full_width(spaced(ID, [6, 8]))}"),
    ("id_number", f"身份证{spaced(ID, [6, 8], chr(0x2014))}"),  # em dash
    ("id_number", f"身份证{spaced(ID, [6, 8], chr(0xA0))}"),  # no-break space
    ("id_number", f"身份证{spaced(ID, [6, 8], chr(0xFE58))}"),  # small em dash (NFKC: an em dash)
    ("mobile", "手机 138-1234-5678"),
    ("mobile", "手机 1381 234 5678"),
    ("mobile", f"手机{full_width('13812345678')}"),
    ("mobile", f"手机 {full_width('+86 138 1234 5678')}"),
    ("mobile", "手机8613812345678"),
    ("bank_card", f"工资卡 {spaced(CARD, [4, 4, 4], '-')}"),
    ("bank_card", f"工资卡 {full_width(spaced(CARD, [4, 4, 4]))}"),
    ("email", "邮箱 zhang.san＠example.com"),
    ("email", f"邮箱 {full_width('zhang.san@example.com')}"),
    ("email", "邮箱 zhang﹫example.cn"),
    ("person_uscc", f"个体户 {full_width(PERSON)}"),
    ("person_uscc", f"个体户 {spaced(PERSON, [2, 6, 9])}"),
]


@pytest.mark.parametrize("kind, text", WRITTEN)
def test_values_written_with_separators_or_in_full_width_are_found(kind, text):
    assert kind in [k for k, _value in detector.find_personal_data(text)], text


@pytest.mark.parametrize(
    "text, kind",
    [
        ("日期 2024 15 3 12345678", "mobile"),  # small numbers side by side are not one mobile number
        ("座机 0891-6321234", "mobile"),
        ("编号 1381234567890", "mobile"),
        ("许可证JY13812345678A", "mobile"),
        (f"企业{make_uscc(20)}", "bank_card"),
        (f"工资卡 {spaced(CARD[:-1] + str((int(CARD[-1]) + 1) % 10), [4, 4, 4])}", "bank_card"),  # Luhn fails
    ],
)
def test_what_only_looks_like_personal_data_is_not_found(text, kind):
    assert kind not in [k for k, _value in detector.find_personal_data(text)]


def test_two_numbers_side_by_side_and_a_prefixed_number_are_each_found_once():
    found = detector.find_personal_data(f"{ID} 13812345678 13987654321 +86 138 1234 5678")
    assert found == [("id_number", ID), ("mobile", "13812345678"), ("mobile", "13987654321")]


@pytest.fixture
def table(db):
    name = "t_detector"
    yield name
    datastore.drop_table(name)


def _load(tmp_path, table, notes):
    path = tmp_path / "notes.csv"
    path.write_text("备注\n" + "\n".join(notes) + "\n", encoding="utf-8")
    result = load_file(path, filename="notes.csv", columns=NOTE, table=table)
    assert result.ok, [e.message for e in result.errors]


@pytest.mark.parametrize("kind, text", WRITTEN)
def test_the_table_scan_finds_them_and_names_the_file_line(tmp_path, table, kind, text):
    """The PostgreSQL pre-filter lets the row through (full-width digits, ＠ and dashes included)."""
    _load(tmp_path, table, ["无", "", text.replace(",", " ")])  # a blank line: the value is on line 4
    report = detector.scan(table, NOTE)
    assert [(f.kind, f.line) for f in report.findings] == [(kind, 4)]
    assert "文件第 4 行" in report.findings[0].message and "表头为第 1 行" in report.findings[0].message


def test_the_prefilter_misses_no_character_nfkc_folds_into_a_digit(db):
    """Each character NFKC turns into a digit, in a run of eleven, matches the pre-filter in PostgreSQL."""
    import sys
    import unicodedata

    digits = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if not 0xD800 <= c <= 0xDFFF
        and unicodedata.normalize("NFKC", chr(c)).isascii()
        and unicodedata.normalize("NFKC", chr(c)).isdigit()
    ]
    assert len(digits) > 100
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM unnest(%s::text[]) AS d WHERE repeat(d, 11) ~ %s", [digits, detector.prefilter()]
        )
        assert cursor.fetchone()[0] == len(digits)
        ordinary = ["张三 李四 2024年5月", "示范市某某街道 12 号", "住房面积 120㎡，ﬁle №3"]
        cursor.execute("SELECT count(*) FROM unnest(%s::text[]) AS t WHERE t ~ %s", [ordinary, detector.prefilter()])
        assert cursor.fetchone()[0] == 0  # ordinary text still stays in PostgreSQL


@pytest.mark.parametrize(
    "rule",
    [
        Rule("hide"),
        Rule("keep_first", first=3),
        Rule("keep_last", last=4),
        Rule("keep_first_last", first=3, last=2),
        Rule("hash"),
    ],
)
def test_masking_masks_them_and_the_check_of_the_masked_rows_passes(tmp_path, table, rule):
    _load(tmp_path, table, [text.replace(",", " ") for _kind, text in WRITTEN])
    target = "t_detector_masked"
    try:
        masking.create_masked_table(source=table, target=target, plan=[(NOTE[0], rule)], salt="s")
        assert detector.scan(target, [masking.masked_column(NOTE[0], rule)]).clean
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT note FROM datastore."{target}"')
            masked = [r[0] for r in cursor.fetchall()]
        assert not any(ID in detector.normalise(v).replace(" ", "").replace("-", "") for v in masked)
    finally:
        datastore.drop_table(target)


def test_a_rule_that_keeps_a_full_width_address_whole_is_caught_by_the_check(tmp_path, table):
    """keep_last 12 of ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｎ leaves ｇ＠ｅｘａｍｐｌｅ．ｃｎ, itself an address."""
    _load(tmp_path, table, [full_width("zhang@example.cn")])
    target = "t_detector_masked"
    try:
        rule = Rule("keep_last", last=12)
        masking.create_masked_table(source=table, target=target, plan=[(NOTE[0], rule)])
        report = detector.scan(target, [masking.masked_column(NOTE[0], rule)])
        assert [(f.kind, f.line) for f in report.findings] == [("email", 2)]  # the line in the source file
    finally:
        datastore.drop_table(target)
