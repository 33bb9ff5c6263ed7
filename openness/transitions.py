"""The state machines of the open-data app: one table of allowed moves (the rules: portal.transitions)."""

from openness.models import Application, DatasetVersion
from portal.transitions import StateMachine

V = DatasetVersion.Status
A = Application.Status

# (model, from status, action) -> to status
TRANSITIONS = {
    # Lhasa art. 29: every publication is reviewed by the bureau before it goes out.
    (DatasetVersion, V.SUBMITTED, "approve"): V.PUBLISHED,
    (DatasetVersion, V.SUBMITTED, "return"): V.RETURNED,
    (DatasetVersion, V.PUBLISHED, "supersede"): V.SUPERSEDED,
    (DatasetVersion, V.PUBLISHED, "withdraw"): V.WITHDRAWN,
    # SECURITY.md 14.2: a withdrawal withdraws every version, the superseded ones too (Hechi art. 29)
    (DatasetVersion, V.SUPERSEDED, "withdraw"): V.WITHDRAWN,
    # Lhasa art. 30: the provider answers; the applicant may ask the bureau to re-review.
    (Application, A.PENDING, "approve"): A.APPROVED,
    (Application, A.PENDING, "refuse"): A.REFUSED,
    (Application, A.PENDING, "request_rereview"): A.REREVIEW,  # only once the answer is overdue
    (Application, A.REFUSED, "request_rereview"): A.REREVIEW,
    (Application, A.REREVIEW, "overturn"): A.APPROVED,
    (Application, A.REREVIEW, "uphold"): A.REFUSED,
}


MACHINE = StateMachine(TRANSITIONS)
allowed, check, move, save = MACHINE.allowed, MACHINE.check, MACHINE.move, MACHINE.save
