"""URL arguments of the audit routes for the audit coverage walker (tests/audit/routes.py looks here by
the app's label): an id that exists nowhere is enough, the refusal or the 404 is what is walked."""

MISSING_PK = 987654321

ROUTE_FACTORIES = {
    "audit:verify_job": lambda w: {"pk": MISSING_PK},
    "audit:verification": lambda w: {"pk": MISSING_PK},
}
