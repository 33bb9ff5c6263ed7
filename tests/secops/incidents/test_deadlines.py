"""Tongren art. 36, Lhasa art. 39: an incident's missed deadlines (first response, report upward) are
announced to the bureau's security staff by the beat sweep, once per deadline."""

import datetime as dt

import pytest
from django.utils import timezone

from config.celery import app
from portal.models import Notification
from secops.incidents.models import Incident
from secops.incidents.services import deadlines, incident_move
from secops.incidents.tasks import sweep_overdue
from tests.secops.incidents.factories import reported

pytestmark = pytest.mark.django_db


def test_missed_deadlines_are_announced_once(officer, handler):
    late = reported(officer, level="critical")
    reported(officer, level="general")  # its 24 hours have not run out
    Incident.objects.filter(pk=late.pk).update(
        reported_at=timezone.now() - dt.timedelta(hours=2),
        response_due_at=timezone.now() - dt.timedelta(hours=1),
        upward_due_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert deadlines.sweep_overdue() == 2
    told = Notification.objects.filter(user=handler, kind="incidents.overdue")
    assert sorted(n.key for n in told) == [
        f"incidents.overdue:{late.pk}:response",
        f"incidents.overdue:{late.pk}:upward",
    ]
    assert sweep_overdue() == 2 and told.count() == 2  # a rerun writes nothing new


def test_a_responded_incident_is_no_longer_late_for_its_response(officer, handler):
    late = reported(officer, level="critical")
    incident_move(actor=handler, incident=late, action="handle")
    Incident.objects.filter(pk=late.pk).update(response_due_at=timezone.now() - dt.timedelta(hours=1))
    assert deadlines.sweep_overdue() == 0


def test_the_sweep_is_on_beat_s_schedule():
    entry = app.conf.beat_schedule["incidents-sweep-overdue"]
    assert entry["task"] == "secops.incidents.tasks.sweep_overdue" and sweep_overdue.name == entry["task"]
