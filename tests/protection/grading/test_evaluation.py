"""The yearly evaluation shows the share of entries whose grades the bureau confirmed (Lhasa art. 39, 44)."""

import pytest
from django.utils import timezone

from catalog.services import entries
from portal.dashboard import figures
from tests.catalog.factories import content, items, published

pytestmark = pytest.mark.django_db


def test_the_share_of_entries_graded(officer, reviewer):
    rows = items()
    for row in rows:
        row["grade_level"] = 2
    graded = entries.entry_create(
        actor=officer, department=officer.department, content=content(name="已分级资源"), items=rows
    )
    entries.entry_submit(actor=officer, entry=graded)
    entries.entry_approve(actor=reviewer, entry=graded)
    published(officer, reviewer, name="未分级资源")  # its items were never graded: not confirmed
    values = figures.table(timezone.localdate().year, department_ids=[officer.department_id])["rows"][0]["values"]
    assert (values["catalog_entries"], values["catalog_graded_rate"]) == (2, 50.0)
