"""Every rule fires on the audit entries it watches and stays quiet on those just below it (issue 16
part 2): the entries are written through audit.services.record, the pass is the beat task's code."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEntry, Outcome
from portal.roles import Role
from portal.workdays import is_workday
from protection.grading.services import entry_grade
from secops.detection.models import Alert
from tests.factories import DepartmentFactory, user_with_role
from tests.secops.detection.conftest import alerts, local, only, run

pytestmark = pytest.mark.django_db


# 1. audit chain verification failed ------------------------------------------------------------
def test_a_failed_chain_verification_opens_an_incident_with_the_verification_as_evidence(write):
    only("chain_failed")
    failed = write(
        "audit.verify",
        target=("audit.auditverification", "9"),
        outcome=Outcome.FAILURE,
        detail={"altered": 2, "removed": 0, "inserted": 0, "block_problems": 1, "head_problems": 0},
    )
    run()
    (alert,) = alerts("chain_failed")
    assert alert.kind == Alert.Kind.INCIDENT and alert.incident is not None
    assert alert.incident.kind == "tampering" and alert.incident.reported_by is None
    assert list(alert.incident.evidence.values_list("audit_entry_id", flat=True)) == [failed.pk]
    assert [e.audit_entry_id for e in alert.evidence.all()] == [failed.pk]


def test_a_passed_verification_opens_nothing(write):
    only("chain_failed")
    write("audit.verify", target=("audit.auditverification", "9"), detail={"altered": 0})
    run()
    assert alerts("chain_failed") == []


# 2. downloads far above the user's own baseline ---------------------------------------------------
def _downloads(write, user, n, at):
    for i in range(n):
        write(
            "openness.download",
            actor=user,
            target=("openness.dataset", "5", "数据集"),
            at=at + dt.timedelta(seconds=i),
            detail={"format": "csv"},
        )


def test_a_user_downloading_far_more_than_their_daily_median_is_warned(write):
    rule = only("volume")
    rule.window, rule.threshold, rule.factor = 5, 10, 3
    rule.save()
    user = user_with_role(Role.PUBLIC)
    for day in range(1, 6):
        _downloads(write, user, 5, local(day, 10))  # baseline: 5 a day
    _downloads(write, user, 16, local(0, 0, 1))  # 16 > 3 × 5
    run()
    (alert,) = alerts("volume")
    assert alert.kind == Alert.Kind.WARNING and alert.incident is None
    assert alert.subject == f"user:{user.pk}" and alert.hits == 16


def test_downloads_within_factor_times_the_median_are_not_warned(write):
    rule = only("volume")
    rule.window, rule.threshold, rule.factor = 5, 10, 3
    rule.save()
    user = user_with_role(Role.PUBLIC)
    for day in range(1, 6):
        _downloads(write, user, 6, local(day, 10))
    _downloads(write, user, 16, local(0, 0, 1))  # 16 <= 3 × 6
    run()
    assert alerts("volume") == []


# 3. repeated denied accesses to other departments' objects ----------------------------------------
def test_repeated_refusals_on_another_departments_objects_are_warned_and_same_department_ones_not(write):
    from tests.catalog.factories import draft

    rule = only("denied")
    owner = user_with_role(Role.DATA_OFFICER)
    entry = draft(owner)
    prober = user_with_role(Role.DEPARTMENT_STAFF)
    colleague = user_with_role(Role.DEPARTMENT_STAFF, department=owner.department)
    for _ in range(rule.threshold):
        write("request.denied", actor=prober, target=entry, outcome=Outcome.DENIED, detail={"status": 404})
        write("request.denied", actor=colleague, target=entry, outcome=Outcome.DENIED, detail={"status": 403})
    run()
    (alert,) = alerts("denied")
    assert alert.subject == f"user:{prober.pk}" and alert.hits == rule.threshold


def test_refusals_below_the_threshold_are_not_warned(write):
    from tests.catalog.factories import draft

    rule = only("denied")
    entry = draft(user_with_role(Role.DATA_OFFICER))
    prober = user_with_role(Role.DEPARTMENT_STAFF)
    for _ in range(rule.threshold - 1):
        write("request.denied", actor=prober, target=entry, outcome=Outcome.DENIED)
    run()
    assert alerts("denied") == []


# 4. a burst of lock-outs from one address ----------------------------------------------------------
def test_a_burst_of_lock_outs_from_one_address_is_warned(write):
    rule = only("lockout")
    for i in range(rule.threshold):
        write("auth.locked_out", ip="203.0.113.7", outcome=Outcome.DENIED, detail={"username": f"u{i}"})
    write("auth.locked_out", ip="198.51.100.1", outcome=Outcome.DENIED, detail={"username": "x"})
    run()
    (alert,) = alerts("lockout")
    assert alert.subject == "ip:203.0.113.7" and alert.hits == rule.threshold


def test_lock_outs_spread_over_more_than_the_window_are_not_warned(write):
    rule = only("lockout")
    start = local(0, 0, 1) - dt.timedelta(hours=3)
    for i in range(rule.threshold):
        write(
            "auth.locked_out",
            ip="203.0.113.7",
            outcome=Outcome.DENIED,
            at=start + dt.timedelta(minutes=(rule.window + 1) * i),
        )
    run()
    assert alerts("lockout") == []


# 5. a grant used outside working hours or from a new address range ---------------------------------
def _workday(hour):
    for days in range(1, 20):
        moment = local(days, hour)
        if is_workday(moment.date()):
            return moment
    raise AssertionError("no working day in the last 20 days")


GRANT = ("sharing.grant", "77", "授权 77")


def test_a_grant_used_at_night_or_from_a_new_range_is_warned(write):
    only("grant_use")
    user = user_with_role(Role.DEPARTMENT_STAFF)
    day = _workday(10)
    write("sharing.grant.query", actor=user, target=GRANT, ip="10.1.2.3", at=day, detail={"amount": 1})
    write("sharing.grant.query", actor=user, target=GRANT, ip="10.1.2.9", at=day + dt.timedelta(minutes=5))
    strange = write("sharing.grant.pull", actor=user, target=GRANT, ip="10.9.9.9", at=day + dt.timedelta(minutes=9))
    night = write("sharing.grant.query", actor=user, target=GRANT, ip="10.1.2.3", at=local(0, 3))
    run()
    (alert,) = alerts("grant_use")
    assert alert.subject == "grant:77"
    assert {e.audit_entry_id for e in alert.evidence.all()} == {strange.pk, night.pk}


def test_a_grant_used_in_working_hours_from_its_known_range_is_not_warned(write):
    only("grant_use")
    user = user_with_role(Role.DEPARTMENT_STAFF)
    day = _workday(10)
    for minutes in (0, 30, 60):
        write("sharing.grant.query", actor=user, target=GRANT, ip="10.1.2.3", at=day + dt.timedelta(minutes=minutes))
    run()
    assert alerts("grant_use") == []


# 6. graded sensitive data read at night --------------------------------------------------------
def test_rows_of_level_three_data_read_at_night_are_warned_and_by_day_not(write):
    from tests.sharing.factories import world

    only("night_read")
    w = world(rows=False)
    assert entry_grade(w.entry).level >= 3
    reader = w.applicant
    write("catalog.rows.read", actor=reader, target=w.entry, at=local(0, 11) - dt.timedelta(days=1))
    night = write("catalog.rows.read", actor=reader, target=w.entry, at=local(0, 23) - dt.timedelta(days=1))
    run()
    (alert,) = alerts("night_read")
    assert [e.audit_entry_id for e in alert.evidence.all()] == [night.pk]


def test_low_grade_data_read_at_night_is_not_warned(write):
    from tests.catalog.factories import published

    only("night_read")
    entry = published(user_with_role(Role.DATA_OFFICER))
    assert entry_grade(entry).level < 3
    write(
        "catalog.rows.read",
        actor=user_with_role(Role.DEPARTMENT_STAFF),
        target=entry,
        at=local(0, 23) - dt.timedelta(days=1),
    )
    run()
    assert alerts("night_read") == []


# 7. one account used from two addresses at once -----------------------------------------------------
def test_one_account_signed_in_from_two_addresses_within_minutes_is_warned(write):
    only("shared_account")
    user = user_with_role(Role.DEPARTMENT_STAFF)
    start = local(0, 0, 1) - dt.timedelta(hours=2)
    write("auth.login", actor=user, target=user, ip="10.0.0.5", at=start)
    write("auth.login", actor=user, target=user, ip="172.16.0.9", at=start + dt.timedelta(minutes=3))
    run()
    (alert,) = alerts("shared_account")
    assert alert.subject == f"user:{user.pk}" and alert.hits == 2


def test_two_sign_ins_from_two_addresses_hours_apart_are_not_warned(write):
    only("shared_account")
    user = user_with_role(Role.DEPARTMENT_STAFF)
    start = local(0, 0, 1) - dt.timedelta(hours=5)
    write("auth.login", actor=user, target=user, ip="10.0.0.5", at=start)
    write("auth.login", actor=user, target=user, ip="172.16.0.9", at=start + dt.timedelta(hours=2))
    write("auth.login", actor=user, target=user, ip="172.16.0.9", at=start + dt.timedelta(hours=2, minutes=1))
    run()
    assert alerts("shared_account") == []


# 8. an API key used after its owner left ------------------------------------------------------------
def _key_call(write, key, user, at=None):
    return write(
        "openness.api.call",
        actor=user,
        target=("openness.api", "open"),
        at=at,
        detail={"endpoint": "open", "key": key.prefix, "status": 200},
    )


def test_a_key_used_after_its_owner_was_deactivated_or_moved_opens_an_incident(write):
    from openness.services.apikeys import apikey_create

    only("orphan_key")
    # open-data keys belong to registered users; the mover is one that belongs to a department
    leaver = user_with_role(Role.PUBLIC)
    mover = user_with_role(Role.PUBLIC, department=DepartmentFactory())
    key_1, _ = apikey_create(actor=leaver, name="甲")
    key_2, _ = apikey_create(actor=mover, name="乙")
    leaver.is_active = False
    leaver.save()
    mover.department = DepartmentFactory()
    mover.save()
    first = _key_call(write, key_1, leaver)
    second = _key_call(write, key_2, mover)
    run()
    found = {a.subject: a for a in alerts("orphan_key")}
    assert set(found) == {f"key:{key_1.prefix}", f"key:{key_2.prefix}"}
    assert all(a.incident is not None and a.kind == Alert.Kind.INCIDENT for a in found.values())
    assert [e.audit_entry_id for e in found[f"key:{key_1.prefix}"].evidence.all()] == [first.pk]
    assert [e.audit_entry_id for e in found[f"key:{key_2.prefix}"].evidence.all()] == [second.pk]


def test_a_key_used_by_its_owner_still_in_place_opens_nothing(write):
    from openness.services.apikeys import apikey_create

    only("orphan_key")
    owner = user_with_role(Role.PUBLIC, department=DepartmentFactory())
    key, _ = apikey_create(actor=owner, name="甲")
    _key_call(write, key, owner)
    run()
    assert alerts("orphan_key") == []
    assert AuditEntry.objects.filter(action="detection.alert.open").count() == 0
