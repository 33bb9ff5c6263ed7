"""What waits for whom (P2): the provider's officers see applications to review; once overdue, the
bureau's reviewers see them as escalated, overdue first."""

import datetime as dt

from django.utils import timezone

from portal import inbox
from sharing.services import applications, deadlines, objections
from tests.sharing import factories


def test_an_unanswered_application_becomes_overdue_and_lands_in_the_bureaus_inbox(world):
    application = factories.apply(world)
    assert [i.kind for i in inbox.inbox_for(world.provider_officer)] == ["sharing.review"]
    assert inbox.inbox_for(world.reviewer) == []
    later = timezone.now() + dt.timedelta(days=30)
    deadlines.sweep_deadlines(now=later)
    items = inbox.inbox_for(world.reviewer, now=later)
    assert [i.kind for i in items] == ["sharing.escalated"] and items[0].overdue
    assert items[0].url == f"/sharing/applications/{application.pk}/"
    assert inbox.inbox_count(world.reviewer) == 1
    assert [i.kind for i in inbox.inbox_for(world.provider_officer, now=later)] == ["sharing.review"]
    applications.application_approve(actor=world.reviewer, application=application)
    assert inbox.inbox_for(world.reviewer) == [] and inbox.inbox_for(world.provider_officer) == []


def test_objections_wait_in_the_providers_inbox(world):
    grant = applications.application_approve(actor=world.provider_officer, application=factories.apply(world))
    objections.objection_raise(actor=world.applicant, grant=grant, rows="第 1 行", items=["name"], reason="有误")
    assert [i.kind for i in inbox.inbox_for(world.provider_officer)] == ["sharing.objection"]
    assert inbox.inbox_for(world.applicant) == []
