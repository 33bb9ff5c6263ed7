"""URL arguments of the open-data routes for the audit coverage walker (tests/audit/routes.py).

Objects that do not exist are enough there: every state-changing call must leave an audit entry
whatever its answer, and a refusal of a missing object is a refusal too."""

MISSING = 987654321

_PK = lambda w: {"pk": MISSING}  # noqa: E731

ROUTE_FACTORIES = {
    "openness:download": lambda w: {"pk": MISSING, "fmt": "csv"},
    "openness:version_download": lambda w: {"pk": MISSING, "number": 1, "fmt": "csv"},
    "openness:propose_entry": lambda w: {"entry_pk": MISSING},
    "openness:propose_upload": lambda w: {"upload_pk": MISSING},
    "openness:register_confirm": lambda w: {"uidb64": "MQ", "token": "no-such-token"},
    **{
        f"openness:{name}": _PK
        for name in (
            "dataset",
            "apply",
            "withdraw",
            "confirm_current",
            "key_revoke",
            "key_renew",
            "application",
            "application_answer",
            "application_rereview",
            "application_rereview_decide",
            "dataset_manage",
            "version",
            "version_approve",
            "version_return",
        )
    },
    **{
        f"open-api-{name}": _PK
        for name in (
            "dataset-detail",
            "dataset-rows",
            "dataset-withdraw",
            "key-revoke",
            "key-renew",
            "application-answer",
            "application-rereview",
            "application-rereview-decide",
            "version-approve",
            "version-return",
        )
    },
}
