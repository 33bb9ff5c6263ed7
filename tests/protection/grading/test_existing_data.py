"""Existing entries and items get a proposed grade from the suggestion, never a confirmed one."""

import importlib

import pytest
from django.apps import apps

from catalog.models import DataItem
from portal.roles import Role
from tests.catalog.factories import published
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

migration = importlib.import_module("catalog.migrations.0005_grade_existing")


def test_existing_items_get_the_suggestion_as_an_unconfirmed_proposal():
    entry = published(user_with_role(Role.DATA_OFFICER), open_type="not_open", open_condition="内部使用")
    version = entry.published_version
    DataItem.objects.create(version=version, position=9, key="id_number", name="法定代表人身份证号", type="id_number")
    DataItem.objects.create(version=version, position=10, key="remark", name="备注", sensitive=True)
    version.items.update(grade_level=None)
    type(version).objects.filter(pk=version.pk).update(grade_level=None)

    migration.propose_grades(apps, None)

    levels = dict(version.items.values_list("key", "grade_level"))
    assert levels == {"uscc": 2, "company_name": 2, "established": 2, "id_number": 3, "remark": 3}
    assert not version.items.filter(grade_confirmed=True).exists()
    version.refresh_from_db()
    assert version.grade_level == 3 and not version.grade_confirmed


def test_an_already_graded_item_keeps_its_grade():
    entry = published(user_with_role(Role.DATA_OFFICER))
    version = entry.published_version
    version.items.update(grade_level=4, grade_confirmed=True)
    migration.propose_grades(apps, None)
    assert set(version.items.values_list("grade_level", "grade_confirmed")) == {(4, True)}
