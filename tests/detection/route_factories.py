"""URL arguments of detection's routes for the audit coverage walker (tests/audit/routes.py; it looks
here by the app's label, `detection`). Objects that do not exist are enough: the refusal of a missing
alert or rule is audited by the middleware like any state-changing request."""

MISSING_PK = 987654321

_PK = lambda w: {"pk": MISSING_PK}  # noqa: E731

ROUTE_FACTORIES = {
    "detection:alert": _PK,
    "detection:alert_close": _PK,
    "detection:alert_escalate": _PK,
    "detection-alert-escalate": _PK,
    "detection:rule_edit": _PK,
    "detection-rule-detail": _PK,
    "detection-alert-detail": _PK,
    "detection-alert-close": _PK,
}
