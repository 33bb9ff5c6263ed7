"""Lhasa art. 22 and Sixian art. 39: the self-check finds grants past their expiry still active,
grants nobody uses, and published items that look personal yet are neither masked nor graded."""

import datetime as dt

import pytest
from django.utils import timezone

from catalog.models import DataItem
from sharing.models import Grant, GrantUse
from sharing.services import applications
from tests.secops.selfchecks.conftest import run_check
from tests.sharing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return factories.world(rows=False)


def _grant(w):
    application = factories.apply(w, mode="query", items=["id_number", "name", "district"])
    return applications.application_approve(actor=w.provider_officer, application=application)


def _about(found, grant):
    return [f for f in found if f"#{grant.pk}" in str(f.subject)]


def test_an_expired_grant_still_active_is_found(world):
    grant = _grant(world)
    Grant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    found = _about(run_check("grants_expired_active"), grant)
    assert len(found) == 1 and found[0].owner_department_id == world.provider.pk and found[0].severity == "high"


def test_a_grant_within_its_term_is_not_expired(world):
    grant = _grant(world)
    assert _about(run_check("grants_expired_active"), grant) == []


def test_a_grant_unused_for_long_is_found_and_a_used_one_is_not(world):
    grant = _grant(world)
    Grant.objects.filter(pk=grant.pk).update(granted_at=timezone.now() - dt.timedelta(days=120))
    assert len(_about(run_check("grants_unused"), grant)) == 1
    GrantUse.objects.create(
        grant=grant, user=world.applicant, provider_department=world.provider, mode="query", amount=1
    )
    assert _about(run_check("grants_unused"), grant) == []


def _items(w):
    return DataItem.objects.filter(version=w.entry.published_version)


def test_a_personal_looking_item_neither_masked_nor_graded_is_found(world):
    _items(world).update(sensitive=True, grade_level=2)
    _items(world).filter(key="name").update(sensitive=False, grade_level=None)
    found = [f for f in run_check("personal_unprotected") if world.entry.code in str(f.subject)]
    assert len(found) == 1 and found[0].owner_department_id == world.provider.pk


def test_masked_or_graded_items_are_not_found(world):
    _items(world).update(sensitive=True, grade_level=None)
    _items(world).filter(key="name").update(sensitive=False, grade_level=3)
    assert [f for f in run_check("personal_unprotected") if world.entry.code in str(f.subject)] == []
