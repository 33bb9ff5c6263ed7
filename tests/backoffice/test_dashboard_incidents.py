"""Tongren art. 15(八), Sixian art. 36: drills (应急演练) are held regularly; the evaluation dashboard
counts them per year for the department that held them, apart from real incidents reported."""

import pytest
from django.utils import timezone

from portal.dashboard import figures
from tests.secops.incidents.factories import reported

pytestmark = pytest.mark.django_db


def test_drills_and_incidents_are_counted_per_year(officer):
    reported(officer, is_drill=True, title="数据泄露应急演练")
    reported(officer, is_drill=True, title="服务中断应急演练")
    reported(officer)
    year = timezone.localdate().year
    values = figures.table(year, department_ids=[officer.department_id])["rows"][0]["values"]
    assert (values["incidents_drills"], values["incidents_reported"]) == (2, 1)
    last_year = figures.table(year - 1, department_ids=[officer.department_id])["rows"][0]["values"]
    assert last_year["incidents_drills"] == 0
