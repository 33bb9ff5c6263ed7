"""URL arguments of accounts' routes for the audit coverage walker (tests/audit/routes.py; it looks
here by the app's label, `accounts`). Objects that do not exist are enough: a missing account or
department answers 404 like any other that the caller may not manage."""

MISSING_PK = 987654321

_PK = lambda w: {"pk": MISSING_PK}  # noqa: E731

ROUTE_FACTORIES = dict.fromkeys(
    (
        "accounts:user_detail",
        "accounts:user_edit",
        "accounts:user_deactivate",
        "accounts:user_reactivate",
        "accounts:user_unlock",
        "accounts:user_password_reset",
        "accounts:department_edit",
        "staff-user-detail",
        "staff-user-deactivate",
        "staff-user-reactivate",
        "staff-user-unlock",
        "staff-user-password-reset",
        "managed-department-detail",
    ),
    _PK,
)
