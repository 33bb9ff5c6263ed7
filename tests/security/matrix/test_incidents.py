"""Permission matrix of the incident register (Lhasa art. 38-39): data officers of any department
report, and follow the incidents of their department (the officer column, department A, reported
the incident in the world); the bureau's reviewers and admins handle (state, containment, notices,
the report upward); the auditors read everything and change nothing; the report template is the
bureau admin's.

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
incidents:list                                  GET     L    -     -    -     +       +       +     +
incidents:report                                GET     L    -     -    -     +       +       +     -
incidents:report                                POST    L    -     -    -     +       +       +     -
incidents:template                              GET     L    -     -    -     -       -       +     -
incidents:template                              POST    L    -     -    -     -       -       +     -
incidents:detail                                GET     L    -     -    -     +       +       +     +
incidents:move                                  POST    L    -     -    -     -       +       +     -
incidents:contain                               POST    L    -     -    -     -       +       +     -
incidents:scope                                 POST    L    -     -    -     -       +       +     -
incidents:notify                                POST    L    -     -    -     -       +       +     -
incidents:report_upward                         POST    L    -     -    -     -       +       +     -
incidents:evidence_add                          POST    L    -     -    -     +       +       +     -
incidents:lift                                  POST    L    -     -    -     -       +       +     -
incidents:report_download                       GET     L    -     -    -     +       +       +     +
incidents:evidence_download                     GET     L    -     -    -     +       +       +     +
# --- API ------------------------------------------------------------------------------------------
incidents-incident-list                         GET     L    +     +    +     +       +       +     +
incidents-incident-list                         POST    L    -     -    -     +       +       +     -
incidents-incident-detail                       GET     L    -     -    -     +       +       +     +
incidents-incident-move                         POST    L    -     -    -     -       +       +     -
incidents-incident-contain                      POST    L    -     -    -     -       +       +     -
incidents-incident-scope                        POST    L    -     -    -     -       +       +     -
incidents-incident-notify                       POST    L    -     -    -     -       +       +     -
incidents-incident-report-upward                POST    L    -     -    -     -       +       +     -
incidents-hold-lift                             POST    L    -     -    -     -       +       +     -
incidents-report-download                       GET     L    -     -    -     +       +       +     +
"""

ROWS = parse_table(MATRIX)

DEFECTS: dict[tuple[str, str, str], str] = {}


@cache
def _objects(world):
    """An incident department A's officer reported (A affected), a hold, a report upward, a file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from secops.incidents.services import containment, evidence, reports
    from tests.secops.incidents.factories import reported

    incident = reported(world.officer, departments=[world.dept_a])
    admin = world.users["admin"]
    hold = containment.contain(actor=admin, incident=incident, kind="user", user=world.public_2, reason="矩阵")
    upward = reports.report_upward(actor=admin, incident=incident)
    item = evidence.add_evidence(actor=admin, incident=incident, upload=SimpleUploadedFile("日志.txt", b"log"))
    return {"incident": incident, "hold": hold, "upward": upward, "evidence": item}


def _pk(name, **extra):
    return lambda w: {"pk": _objects(w)[name].pk, **extra}


# This area's URL arguments, next to its table (tests/security/route_args.py holds the others').
ROUTE_ARGS.update(
    {
        "incidents:move": {"": _pk("incident", action="handle")},
        **{
            f"incidents:{name}": {"": _pk("incident")}
            for name in ("detail", "contain", "scope", "notify", "report_upward", "evidence_add")
        },
        "incidents:lift": {"": _pk("hold")},
        "incidents:report_download": {"": _pk("upward")},
        "incidents:evidence_download": {"": _pk("evidence")},
        **{
            f"incidents-incident-{name}": {"": _pk("incident")}
            for name in ("detail", "move", "contain", "scope", "notify", "report-upward")
        },
        "incidents-hold-lift": {"": _pk("hold")},
        "incidents-report-download": {"": _pk("upward")},
    }
)

_REPORT = {"title": "矩阵事件", "kind": "other", "level": "general", "description": "矩阵。"}

BODIES: Bodies = {
    ("incidents:report", "", "post"): lambda w: _REPORT,
    ("incidents:template", "", "post"): lambda w: {"body": "# {{ 事件.名称 }}"},
    ("incidents:move", "", "post"): lambda w: {"note": ""},
    ("incidents:contain", "", "post"): lambda w: {"kind": "user", "user": "m_own", "reason": "矩阵"},
    ("incidents:evidence_add", "", "post"): lambda w: {"evidence-receipt": "R-matrix"},
    ("incidents:scope", "", "post"): lambda w: {"scope-departments": [w.dept_b.pk], "scope-users": "m_other"},
    ("incidents-incident-scope", "", "post"): lambda w: {"departments": [w.dept_b.pk]},
    ("incidents:lift", "", "post"): lambda w: {"reason": "矩阵"},
    ("incidents-incident-list", "", "post"): lambda w: _REPORT,
    ("incidents-incident-move", "", "post"): lambda w: {"action": "handle"},
    ("incidents-incident-contain", "", "post"): lambda w: {"kind": "user", "user": w.users["own"].pk, "reason": "矩阵"},
    ("incidents-hold-lift", "", "post"): lambda w: {"reason": "矩阵"},
}


test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
