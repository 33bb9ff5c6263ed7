"""Permission matrix of signatures and receipts: evidence of a delivery or a decision for the
requesting department (B, "other"), the providing department (A: own, officer), the bureau and the
auditors (Sixian art. 28, Hechi art. 30); key records for the bureau admin and auditors, issued and
revoked by the bureau admin only; the verifier and the root certificate for everyone signed in.

Columns, outcomes and bodies: tests/security/matrix/builder.py.
"""

from __future__ import annotations

from tests.security.matrix.builder import Bodies, matrix_test
from tests.security.matrix.outcomes import parse_table

MATRIX = """
# route[variant]                               method anon public own other officer reviewer admin auditor
# --- pages ---------------------------------------------------------------------------------------
signatures:receipt_evidence                     GET     L    -     +    +     +       +       +     +
signatures:decision_evidence                    GET     L    -     +    +     +       +       +     +
signatures:verify                               GET     L    +     +    +     +       +       +     +
signatures:verify                               POST    L    +     +    +     +       +       +     +
signatures:root_certificate                     GET     L    +     +    +     +       +       +     +
signatures:certificates                         GET     L    -     -    -     -       -       +     +
signatures:certificate_revoke                   POST    L    -     -    -     -       -       +     -
signatures:certificate_issue                    POST    L    -     -    -     -       -       +     -
# --- API ------------------------------------------------------------------------------------------
signatures-receipt-list                         GET     L    +     +    +     +       +       +     +
signatures-receipt-detail                       GET     L    -     +    +     +       +       +     +
signatures-receipt-evidence                     GET     L    -     +    +     +       +       +     +
signatures-decision-list                        GET     L    +     +    +     +       +       +     +
signatures-decision-detail                      GET     L    -     +    +     +       +       +     +
signatures-decision-evidence                    GET     L    -     +    +     +       +       +     +
signatures-certificate-list                     GET     L    -     -    -     -       -       +     +
signatures-certificate-detail                   GET     L    -     -    -     -       -       +     +
signatures-certificate-revoke                   POST    L    -     -    -     -       -       +     -
signatures-certificate-issue                    POST    L    -     -    -     -       -       +     -
signatures-root                                 GET     L    +     +    +     +       +       +     +
signatures-verify                               POST    L    +     +    +     +       +       +     +
"""

ROWS = parse_table(MATRIX)

# Rows whose expected outcome the portal does not give yet: (route, variant, method) -> the defect.
DEFECTS: dict[tuple[str, str, str], str] = {}

BODIES: Bodies = {
    ("signatures:certificate_revoke", "", "post"): lambda w: {"reason": "私钥疑似泄露"},
    ("signatures-certificate-revoke", "", "post"): lambda w: {"reason": "私钥疑似泄露"},
    ("signatures:certificate_issue", "", "post"): lambda w: {"days": "30"},
    ("signatures-certificate-issue", "", "post"): lambda w: {"days": 30},
}


test_permission_matrix = matrix_test(ROWS, BODIES, DEFECTS)
