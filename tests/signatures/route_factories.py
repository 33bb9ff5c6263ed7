"""URL arguments of the signatures routes for the audit coverage walker (tests/audit/routes.py; it
looks here by the app's label, `signatures`). Objects that do not exist are enough: a refusal of a
missing receipt, decision or key record is audited too."""

MISSING_PK = 987654321
MISSING_UID = "00000000-0000-4000-8000-000000000000"

_PK = lambda w: {"pk": MISSING_PK}  # noqa: E731
_UID = lambda w: {"uid": MISSING_UID}  # noqa: E731

ROUTE_FACTORIES = {
    "signatures:receipt_evidence": _UID,
    "signatures:decision_evidence": _UID,
    "signatures:certificate_revoke": _PK,
    "signatures-receipt-detail": _UID,
    "signatures-receipt-evidence": _UID,
    "signatures-decision-detail": _UID,
    "signatures-decision-evidence": _UID,
    "signatures-certificate-detail": _PK,
    "signatures-certificate-revoke": _PK,
}
