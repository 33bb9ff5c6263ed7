"""Permission matrix of the security self-checks (安全自查, Tongren art. 15(七), Lhasa art. 38-39): the
bureau's security staff (reviewers and admins) run the checks and read every run and finding; the
owning department's data officer (the officer column, department A, owns the finding in the world)
puts its findings right; the auditors read everything and change nothing; the risk assessments are
read by the bureau and the auditors and written by the bureau admin alone.

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
selfchecks:home                                 GET     L    -     -    -     +       +       +     +
selfchecks:run_start                            POST    L    -     -    -     -       +       +     -
selfchecks:run                                  GET     L    -     -    -     -       +       +     +
selfchecks:run_progress                         GET     L    -     -    -     -       +       +     +
selfchecks:finding                              GET     L    -     -    -     +       +       +     +
selfchecks:finding_move                         POST    L    -     -    -     +       +       +     -
selfchecks:assessments                          GET     L    -     -    -     -       +       +     +
selfchecks:assessment_create                    GET     L    -     -    -     -       -       +     -
selfchecks:assessment_create                    POST    L    -     -    -     -       -       +     -
selfchecks:assessment                           GET     L    -     -    -     -       +       +     +
selfchecks:assessment_edit                      GET     L    -     -    -     -       -       +     -
selfchecks:assessment_edit                      POST    L    -     -    -     -       -       +     -
selfchecks:dashboard                            GET     L    -     -    -     -       +       +     +
# --- API ------------------------------------------------------------------------------------------
selfchecks-run-list                             GET     L    +     +    +     +       +       +     +
selfchecks-run-list                             POST    L    -     -    -     -       +       +     -
selfchecks-run-detail                           GET     L    -     -    -     -       +       +     +
selfchecks-finding-list                         GET     L    +     +    +     +       +       +     +
selfchecks-finding-detail                       GET     L    -     -    -     +       +       +     +
selfchecks-finding-detail                       PATCH   L    -     -    -     +       +       +     -
selfchecks-assessment-list                      GET     L    -     -    -     -       +       +     +
selfchecks-assessment-list                      POST    L    -     -    -     -       -       +     -
selfchecks-assessment-detail                    GET     L    -     -    -     -       +       +     +
selfchecks-assessment-detail                    PATCH   L    -     -    -     -       -       +     -
"""

ROWS = parse_table(MATRIX)

DEFECTS: dict[tuple[str, str, str], str] = {}


@cache
def _objects(world):
    """A finished run with an open finding department A must put right, and a risk assessment
    that weighed it."""
    from secops.selfchecks.models import Finding, SelfCheckRun
    from secops.selfchecks.services import assessments

    run = SelfCheckRun.objects.create(kind="on_demand", status="done", checks_total=12, checks_done=12)
    finding = Finding.objects.create(
        run=run, check_code="dormant_accounts", severity="medium", owner_department=world.dept_a, subject="矩阵账号"
    )
    assessment = assessments.assessment_create(
        actor=world.users["admin"],
        year=2026,
        title="矩阵风险评估",
        scope="全平台",
        method="自查",
        conclusion="可控",
        finding_ids=[finding.pk],
    )
    return {"run": run, "finding": finding, "assessment": assessment}


def _pk(name, **extra):
    return lambda w: {"pk": _objects(w)[name].pk, **extra}


# This area's URL arguments, next to its table (tests/security/route_args.py holds the others').
ROUTE_ARGS.update(
    {
        "selfchecks:run": {"": _pk("run")},
        "selfchecks:run_progress": {"": _pk("run")},
        "selfchecks:finding": {"": _pk("finding")},
        "selfchecks:finding_move": {"": _pk("finding", action="fix")},
        "selfchecks:assessment": {"": _pk("assessment")},
        "selfchecks:assessment_edit": {"": _pk("assessment")},
        "selfchecks-run-detail": {"": _pk("run")},
        "selfchecks-finding-detail": {"": _pk("finding")},
        "selfchecks-assessment-detail": {"": _pk("assessment")},
    }
)


def _assessment_form(world):
    return {
        "year": 2026,
        "title": "矩阵评估",
        "scope": "全平台",
        "method": "自查",
        "conclusion": "可控",
        "findings": [_objects(world)["finding"].pk],
    }


def _assessment_api(world):
    body = _assessment_form(world)
    return {**{k: v for k, v in body.items() if k != "findings"}, "finding_ids": body["findings"]}


BODIES: Bodies = {
    ("selfchecks:finding_move", "", "post"): lambda w: {"reason": "已停用该账号"},
    ("selfchecks:assessment_create", "", "post"): _assessment_form,
    ("selfchecks:assessment_edit", "", "post"): _assessment_form,
    ("selfchecks-finding-detail", "", "patch"): lambda w: {"action": "fix", "reason": "已停用该账号"},
    ("selfchecks-assessment-list", "", "post"): _assessment_api,
    ("selfchecks-assessment-detail", "", "patch"): _assessment_api,
}


test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
