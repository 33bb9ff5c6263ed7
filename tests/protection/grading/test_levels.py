"""item_level / is_sensitive / entry_grade: the effective grade the rules read (Lhasa art. 39, Sixian art. 39)."""

import pytest

from catalog.models import DataItem
from portal.roles import Role
from protection.grading.constants import GradeCategory
from protection.grading.models import GradeLevel
from protection.grading.services import entry_grade, is_sensitive, item_level, sensitive_item_filter
from protection.grading.suggest import suggest_item
from tests.catalog.factories import draft
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return draft(user_with_role(Role.DATA_OFFICER), open_type="not_open", open_condition="内部使用").working_version


def _item(version, key, name, type="string", **grade):
    position = version.items.count() + 1
    return DataItem.objects.create(version=version, position=position, key=key, name=name, type=type, **grade)


def test_the_default_four_levels_are_seeded_and_read_while_none_are_set():
    import importlib

    from django.apps import apps

    from protection.grading.selectors import levels

    GradeLevel.objects.all().delete()
    default = [(1, "公开"), (2, "内部"), (3, "敏感"), (4, "高度敏感")]
    assert [(level.number, level.name) for level in levels()] == default
    importlib.import_module("protection.grading.migrations.0001_initial").seed_levels(apps, None)
    assert list(GradeLevel.objects.values_list("number", "name")) == default


def test_a_stored_level_is_the_items_level(version):
    item = _item(version, "remark", "备注", grade_level=3)
    assert item_level(item) == 3 and is_sensitive(item)
    assert not is_sensitive(_item(version, "note2", "说明二", grade_level=2))


def test_an_ungraded_item_is_judged_by_its_suggestion(version):
    assert item_level(_item(version, "id_number", "身份证号", type="id_number")) == 3
    assert item_level(_item(version, "bank_card", "银行卡号")) == 4
    assert item_level(_item(version, "remark", "备注")) == 2  # not open: 内部


def test_a_ticked_sensitive_item_is_at_least_the_sensitive_level(version):
    item = _item(version, "remark", "备注", grade_level=1, sensitive=True)
    assert item_level(item) == 3 and is_sensitive(item)


@pytest.mark.parametrize("category", [GradeCategory.IMPORTANT, GradeCategory.CORE])
def test_important_and_core_data_are_at_least_the_co_approval_level(version, category):
    item = _item(version, "remark", "备注", grade_level=1, grade_category=category)
    assert item_level(item) == 4 and is_sensitive(item)


def test_the_sensitive_level_is_a_setting(version, settings):
    item = _item(version, "remark", "备注", grade_level=3)
    settings.PROTECTION_SENSITIVE_LEVEL = 4
    assert not is_sensitive(item)


def test_the_filter_agrees_with_is_sensitive(version):
    rows = [
        _item(version, "id_number", "身份证号", type="id_number"),
        _item(version, "addr", "家庭住址"),
        _item(version, "remark", "备注"),
        _item(version, "remark2", "备注二", grade_level=4),
        _item(version, "remark3", "备注三", grade_level=1, sensitive=True),
        _item(version, "remark4", "备注四", grade_level=1, grade_category=GradeCategory.CORE),
        _item(version, "phone", "联系电话", grade_level=1),
        _item(version, "hotline", "服务电话", type="phone"),
        _item(version, "mobile", "手机号码", type="phone"),
        _item(version, "office_addr", "办公地址"),
    ]
    found = set(DataItem.objects.filter(version=version).filter(sensitive_item_filter()).values_list("key", flat=True))
    assert (
        found
        == {i.key for i in rows if is_sensitive(i)}
        == {"id_number", "addr", "remark2", "remark3", "remark4", "mobile"}
    )


def test_an_entrys_grade_is_at_least_its_highest_items(version):
    version.grade_level = 2
    version.save(update_fields=["grade_level"])
    _item(version, "health", "健康状况", grade_level=4)
    grade = entry_grade(version)
    assert grade.level == 4 and grade.category == GradeCategory.GENERAL and not grade.confirmed
    assert entry_grade(version.entry).level == 4  # an entry reads its working version while unpublished


def test_an_entrys_category_is_its_highest_items(version):
    _item(version, "remark", "备注", grade_level=2, grade_category=GradeCategory.IMPORTANT)
    grade = entry_grade(version)
    assert grade.is_important and grade.level == 4


def test_an_entry_is_confirmed_only_when_it_and_every_item_are(version):
    version.items.update(grade_level=1, grade_confirmed=True)
    version.grade_level, version.grade_confirmed = 2, True
    version.save(update_fields=["grade_level", "grade_confirmed"])
    assert entry_grade(version).confirmed
    version.items.filter(position=1).update(grade_confirmed=False)
    assert not entry_grade(version).confirmed


@pytest.mark.parametrize(
    ("kwargs", "level"),
    [
        ({"type": "id_number", "key": "sfz", "name": "证件"}, 3),
        ({"type": "phone", "key": "contact", "name": "联系方式"}, 3),
        ({"key": "home_address", "name": "家庭住址"}, 3),
        ({"key": "card_no", "name": "银行卡号"}, 4),
        ({"key": "diagnosis", "name": "诊断结果"}, 4),
        ({"key": "face_image", "name": "人脸照片"}, 4),
        ({"key": "fingerprint", "name": "指纹"}, 4),
        ({"key": "address", "name": "执业地址"}, 2),  # an organisation's address is not personal
        ({"type": "phone", "key": "phone", "name": "服务电话", "open_resource": True}, 1),
        ({"key": "treatment_scope", "name": "诊疗科目"}, 2),
        ({"key": "company_name", "name": "企业名称"}, 2),
        ({"key": "company_name", "name": "企业名称", "open_resource": True}, 1),
    ],
)
def test_the_suggestion_reads_the_items_type_and_words(kwargs, level):
    suggestion = suggest_item(**kwargs)
    assert suggestion.level == level and suggestion.reason
