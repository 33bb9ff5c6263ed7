"""URL arguments of the incident register's routes for the audit coverage walker (tests/audit/routes.py;
it looks here by the app's label, `incidents`). A missing object is enough there: a refusal of it is
audited too."""

MISSING = 987654321

_PK = lambda w: {"pk": MISSING}  # noqa: E731

ROUTE_FACTORIES = {
    "incidents:move": lambda w: {"pk": MISSING, "action": "handle"},
    **{
        f"incidents:{name}": _PK
        for name in (
            "detail",
            "contain",
            "scope",
            "notify",
            "report_upward",
            "evidence_add",
            "lift",
            "report_download",
            "evidence_download",
        )
    },
    **{
        f"incidents-{name}": _PK
        for name in (
            "incident-detail",
            "incident-move",
            "incident-contain",
            "incident-scope",
            "incident-notify",
            "incident-report-upward",
            "hold-lift",
            "report-download",
        )
    },
}
