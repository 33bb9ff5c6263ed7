"""Permission matrix of detection (安全监测, Lhasa art. 39): the bureau's security staff (reviewers
and admins) read and close the alerts, the auditors read them and change nothing; the rules and
their settings are the bureau admin's alone.

Columns, outcomes and bodies: tests/security/matrix/builder.py.
"""

from __future__ import annotations

from functools import cache

from tests.security.matrix.builder import Bodies, matrix_test
from tests.security.matrix.outcomes import parse_table
from tests.security.route_args import ROUTE_ARGS

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
# --- pages ---------------------------------------------------------------------------------------
detection:alerts                                GET     L    -     -    -     -       +       +     +
detection:alert                                 GET     L    -     -    -     -       +       +     +
detection:alert_close                           POST    L    -     -    -     -       +       +     -
detection:alert_escalate                        POST    L    -     -    -     -       +       +     -
detection:rules                                 GET     L    -     -    -     -       -       +     -
detection:rule_edit                             GET     L    -     -    -     -       -       +     -
detection:rule_edit                             POST    L    -     -    -     -       -       +     -
# --- API ------------------------------------------------------------------------------------------
detection-rule-list                             GET     L    -     -    -     -       -       +     -
detection-rule-detail                           GET     L    -     -    -     -       -       +     -
detection-rule-detail                           PATCH   L    -     -    -     -       -       +     -
detection-alert-list                            GET     L    -     -    -     -       +       +     +
detection-alert-detail                          GET     L    -     -    -     -       +       +     +
detection-alert-close                           POST    L    -     -    -     -       +       +     -
detection-alert-escalate                        POST    L    -     -    -     -       +       +     -
"""

ROWS = parse_table(MATRIX)

DEFECTS: dict[tuple[str, str, str], str] = {}


@cache
def _objects(world):
    """A rule and an open warning it raised on a lock-out entry."""
    from audit.models import Outcome
    from audit.services import record
    from secops.detection.models import DetectionRule
    from secops.detection.rules import Firing
    from secops.detection.services.alerts import fire
    from secops.detection.services.rules import ensure_rules

    ensure_rules()
    rule = DetectionRule.objects.get(code="lockout")
    entry = record("auth.locked_out", outcome=Outcome.DENIED, detail={"username": "m"})
    alert = fire(
        rule=rule,
        firing=Firing(
            subject="ip:matrix", label="matrix", title="矩阵告警", description="矩阵。", trigger=entry, entries=[entry]
        ),
    )
    return {"rule": rule, "alert": alert}


def _pk(name):
    return lambda w: {"pk": _objects(w)[name].pk}


ROUTE_ARGS.update(
    {
        "detection:alert": {"": _pk("alert")},
        "detection:alert_close": {"": _pk("alert")},
        "detection:alert_escalate": {"": _pk("alert")},
        "detection-alert-escalate": {"": _pk("alert")},
        "detection:rule_edit": {"": _pk("rule")},
        "detection-rule-detail": {"": _pk("rule")},
        "detection-alert-detail": {"": _pk("alert")},
        "detection-alert-close": {"": _pk("alert")},
    }
)

BODIES: Bodies = {
    ("detection:alert_close", "", "post"): lambda w: {"note": "矩阵"},
    ("detection:rule_edit", "", "post"): lambda w: {"enabled": "on", "threshold": 4, "factor": "2", "window": 10},
    ("detection-rule-detail", "", "patch"): lambda w: {"threshold": 4},
    ("detection-alert-close", "", "post"): lambda w: {"note": "矩阵"},
}


test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
