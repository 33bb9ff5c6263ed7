"""`manage.py seed_demo`: a city, two counties, ≥ 8 departments, one user per role with passwords that
pass the rule, ≥ 30 catalog entries of every share type with base data and loaded rows; safe twice."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from catalog.models import BaseKind, DataLoad, EntryVersion, ResourceEntry
from portal import demo
from portal.models import Department, User
from portal.roles import Role

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_demo_city_once(rf):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert Department.objects.filter(level="city").count() == 1
    assert Department.objects.filter(level="county").count() == 2
    assert Department.objects.filter(level="department").count() >= 8
    for role in Role:
        assert User.objects.filter(groups__name=role.value).exists(), role
    user = authenticate(rf.post("/accounts/login/"), username="officer", password=demo.DEMO_PASSWORD)
    assert user is not None and user.has_role(Role.DATA_OFFICER)
    assert "admin" in out.getvalue() and demo.DEMO_PASSWORD in out.getvalue()

    assert ResourceEntry.objects.count() >= 30
    published = EntryVersion.objects.filter(status="published")
    assert set(published.values_list("share_type", flat=True)) == {"unconditional", "conditional", "not_shared"}
    assert {BaseKind.POPULATION, BaseKind.LEGAL_PERSON, BaseKind.E_LICENSE} <= set(
        published.values_list("base_kind", flat=True)
    )
    assert EntryVersion.objects.filter(status="returned").exists()
    assert EntryVersion.objects.filter(status="submitted").exists()
    people = DataLoad.objects.get(entry__published_version__name="人口基础信息", status="succeeded")
    assert people.row_count == 300

    entries_before, loads_before = ResourceEntry.objects.count(), DataLoad.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (ResourceEntry.objects.count(), DataLoad.objects.count()) == (entries_before, loads_before)
