"""O5: the detector finds valid personal data in any text item, whatever the item is called."""

import pytest

from catalog.datastore import detector
from tests.openness.factories import make_id, make_uscc


def kinds(text):
    return [kind for kind, _token in detector.find_personal_data(text)]


def test_valid_id_numbers_are_found_in_free_text_and_invalid_ones_are_not():
    good = make_id(123)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert kinds(f"申请人身份证{good}，已核实") == ["id_number"]
    assert kinds(f"编号{bad}") == []


@pytest.mark.parametrize("text", ["联系电话13812345678", "手机 138 1234 5678", "+86-13912345678", "tel:15900001111"])
def test_mobile_numbers(text):
    assert "mobile" in kinds(text)


@pytest.mark.parametrize("text", ["座机0891-6321234", "编号1381234567890", "12345"])
def test_not_mobile_numbers(text):
    assert "mobile" not in kinds(text)


def test_bank_cards_need_a_valid_luhn_check_digit():
    assert kinds("工资卡 6222 0212 3456 7899") == []  # fails Luhn
    assert kinds("工资卡 6222021234567891") == []
    valid = "6222021234567890"
    from stdnum import luhn

    valid = valid[:-1] + luhn.calc_check_digit(valid[:-1])
    assert kinds(f"工资卡 {valid}") == ["bank_card"]
    assert kinds(f"工资卡 {valid[:4]} {valid[4:8]} {valid[8:12]} {valid[12:]}") == ["bank_card"]


def test_email_addresses_and_individual_business_codes():
    assert kinds("联系 zhang.san@example.com.cn") == ["email"]
    assert kinds(f"个体户{make_uscc(7, kind='92')}") == ["person_uscc"]
    assert kinds(f"企业{make_uscc(7, kind='91')}") == []


def test_examples_in_messages_do_not_give_the_value_away():
    shown = detector.example("110101199003071234")
    assert shown.startswith("110") and shown.endswith("34") and "1990030712" not in shown


def test_an_all_digit_credit_code_passing_luhn_is_not_a_bank_card():
    from stdnum import luhn

    codes = [make_uscc(n) for n in range(1, 400)]
    digit_codes = [c for c in codes if c.isdigit() and luhn.is_valid(c)]
    assert digit_codes
    assert all(kinds(f"企业{c}") == [] for c in digit_codes)


def test_digits_inside_a_longer_code_are_not_cards_or_mobiles():
    code = make_uscc(20)  # 17 digits and a letter: its digits pass Luhn
    assert kinds(f"企业{code}") == []
    assert kinds("许可证JY13812345678A") == []
