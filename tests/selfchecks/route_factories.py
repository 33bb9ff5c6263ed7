"""URL arguments of the self-checks' routes for the audit coverage walker (tests/audit/routes.py; it
looks here by the app's label, `selfchecks`). Objects that do not exist are enough: the refusal of a
missing run, finding or risk assessment is audited by the middleware like any state-changing request."""

MISSING_PK = 987654321

_PK = lambda w: {"pk": MISSING_PK}  # noqa: E731

ROUTE_FACTORIES = {
    "selfchecks:run": _PK,
    "selfchecks:run_progress": _PK,
    "selfchecks:finding": _PK,
    "selfchecks:finding_move": lambda w: {"pk": MISSING_PK, "action": "fix"},
    "selfchecks:assessment": _PK,
    "selfchecks:assessment_edit": _PK,
    "selfchecks-run-detail": _PK,
    "selfchecks-finding-detail": _PK,
    "selfchecks-assessment-detail": _PK,
}
