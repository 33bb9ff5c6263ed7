"""URL arguments of the portal's own routes for the audit coverage walker (tests/audit/routes.py looks
here by the app's label, `portal`): a setting of portal.policy, a date and a year of the calendar."""

ROUTE_FACTORIES = {
    "policy_detail": lambda w: {"key": "OBJECTION_WORKING_DAYS"},
    "api_policy_detail": lambda w: {"key": "OBJECTION_WORKING_DAYS"},
}
