"""S6 (Lhasa art. 21): an application that fits a scenario the bureau defined is granted without
review, and says so; one that asks for more goes to review."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.errors import DomainError, PermissionDeniedError
from portal.roles import Role
from sharing.models import Application, Deadline
from sharing.services import scenarios
from tests.factories import user_with_role
from tests.sharing import factories


@pytest.fixture
def scenario(world, bureau_admin):
    return scenarios.scenario_save(
        actor=bureau_admin,
        name="低保资格核验",
        entry=world.entry,
        items=["id_number", "name", "district"],
        modes=["compare", "query"],
        max_days=180,
        departments=[world.department],
    )


def test_an_application_that_fits_a_scenario_is_granted_without_review(world, scenario):
    application = factories.apply(
        world, items=["id_number", "district"], mode="compare", end_date=timezone.localdate() + dt.timedelta(days=100)
    )
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED and application.scenario == scenario
    assert application.auto_granted and application.decided_by is None
    assert "低保资格核验" in application.decision_note and "第二十一条" in application.decision_note
    assert application.grant.items == ["id_number", "district"] and application.grant.masked_items == ["id_number"]
    assert not Deadline.objects.filter(application=application).exists()


@pytest.mark.parametrize(
    "change",
    [
        {"items": ["id_number", "amount"]},  # an item outside the scenario
        {"mode": "pull"},  # a mode outside it
        {"end_date": timezone.localdate() + dt.timedelta(days=400)},  # longer than it allows
        {"unmask_requested": ["name"], "items": ["name"]},  # asks to see a sensitive item
    ],
)
def test_an_application_asking_for_more_than_the_scenario_goes_to_review(world, scenario, change):
    application = factories.apply(world, **{"items": ["id_number"], "mode": "compare", **change})
    assert application.status == Application.Status.SUBMITTED and application.scenario is None


def test_a_scenario_for_other_departments_does_not_apply(world, scenario):
    other = user_with_role(Role.DEPARTMENT_STAFF)
    from sharing.services import applications

    application = applications.application_submit(
        actor=other,
        entry=world.entry,
        purpose="核验",
        scenario_text="核验",
        items=["id_number"],
        mode="compare",
        end_date=timezone.localdate() + dt.timedelta(days=30),
    )
    assert application.status == Application.Status.SUBMITTED


def test_scenarios_are_defined_by_the_bureau_admin_within_the_entrys_conditions(world, bureau_admin, reviewer):
    with pytest.raises(PermissionDeniedError):
        scenarios.scenario_save(actor=reviewer, name="x", entry=world.entry, items=["name"], modes=["query"])
    with pytest.raises(DomainError) as error:
        scenarios.scenario_save(
            actor=bureau_admin, name="x", entry=world.entry, items=["nope"], modes=["query"], max_days=0
        )
    assert set(error.value.errors) == {"items", "max_days"}
