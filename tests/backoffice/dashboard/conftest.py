"""Two departments with catalog figures in 2025 and 2026 (the trend compares the two years)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from catalog.models import ResourceEntry, UpdateDuty
from catalog.services import duties
from portal.roles import Role
from tests.catalog.factories import published
from tests.factories import DepartmentFactory, user_with_role

SH = ZoneInfo("Asia/Shanghai")


def _duties(reviewer, department, entries, effective, done):
    """Update duties of a change effective on `effective`, answered on the given datetimes."""
    change = duties.duty_change_record(
        actor=reviewer, department=department, kind="law", description="修订", effective_date=effective
    )
    made = list(UpdateDuty.objects.filter(change=change, entry__in=entries).order_by("entry_id"))
    for duty, when in zip(made, done, strict=False):
        UpdateDuty.objects.filter(pk=duty.pk).update(status="done", done_at=when)
    UpdateDuty.objects.filter(change=change).exclude(pk__in=[d.pk for d in made[: len(done)]]).delete()


@pytest.fixture
def two_years(reviewer):
    """甲局: 2025 one duty answered late; 2026 two duties, one on time (due 2026-05-13), one late.
    乙局: 2026 one duty on time. So 甲局's on-time rate is 0 % in 2025, 50 % in 2026; 乙局's 100 %."""
    a, b = DepartmentFactory(name="甲局"), DepartmentFactory(name="乙局")
    officer_a = user_with_role(Role.DATA_OFFICER, department=a)
    officer_b = user_with_role(Role.DATA_OFFICER, department=b)
    e1, e2 = (published(officer_a, reviewer, name=f"甲资源{n}") for n in range(2))
    b1 = published(officer_b, reviewer, name="乙资源")
    ResourceEntry.objects.filter(pk=b1.pk).update(last_maintained_at=dt.datetime(2025, 6, 1, tzinfo=SH))
    _duties(reviewer, a, [e1], dt.date(2025, 4, 30), [dt.datetime(2025, 6, 20, 10, tzinfo=SH)])
    _duties(
        reviewer,
        a,
        [e1, e2],
        dt.date(2026, 4, 30),
        [dt.datetime(2026, 5, 12, 10, tzinfo=SH), dt.datetime(2026, 5, 20, 10, tzinfo=SH)],
    )
    _duties(reviewer, b, [b1], dt.date(2026, 4, 30), [dt.datetime(2026, 5, 6, 10, tzinfo=SH)])
    return a, b
