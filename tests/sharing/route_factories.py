"""URL arguments of the sharing routes for the audit coverage walker (tests/audit/routes.py).

Objects that do not exist are enough there: every state-changing call must leave an audit entry
whatever its answer, and a refusal of a missing object is a refusal too."""

MISSING = 987654321


def _entry(w):
    from tests.catalog.factories import draft

    return draft(w.officer)


_PK = lambda w: {"pk": MISSING}  # noqa: E731

ROUTE_FACTORIES = {
    "sharing:apply": lambda w: {"entry_pk": _entry(w).pk},
    "sharing:coordination_new": lambda w: {"entry_pk": _entry(w).pk},
    "sharing:grant_pull": lambda w: {"pk": MISSING, "fmt": "csv"},
    **{
        f"sharing:{name}": _PK
        for name in (
            "application",
            "application_approve",
            "application_co_approve",
            "application_refuse",
            "application_cancel",
            "grant",
            "grant_query",
            "grant_compare",
            "grant_statistics",
            "grant_revoke",
            "objection_new",
            "objection",
            "objection_answer",
            "coordination",
            "coordination_answer",
            "coordination_escalate",
            "coordination_conclude",
            "scenario_edit",
        )
    },
    **{
        f"sharing-{name}": _PK
        for name in (
            "application-detail",
            "application-approve",
            "application-co-approve",
            "application-refuse",
            "application-cancel",
            "grant-detail",
            "grant-revoke",
            "grant-query",
            "grant-compare",
            "grant-statistics",
            "grant-pull",
            "objection-detail",
            "objection-answer",
            "coordination-detail",
            "coordination-answer",
            "coordination-escalate",
            "coordination-conclude",
            "scenario-detail",
        )
    },
}
