"""The one table of allowed moves of the sharing app's state machines (the rules: portal.transitions).

(model, from status, action) -> to status. Anything else raises InvalidTransitionError, which the
API and the pages turn into a 400 with a Chinese message.
"""

from portal.transitions import StateMachine
from sharing.models import Application, Coordination, Grant, Objection

A, G, O, C = Application.Status, Grant.Status, Objection.Status, Coordination.Status  # noqa: E741 - short table keys

TRANSITIONS = {
    (Application, A.SUBMITTED, "approve"): A.APPROVED,
    (Application, A.SUBMITTED, "refuse"): A.REFUSED,
    (Application, A.SUBMITTED, "cancel"): A.CANCELLED,
    (Application, A.SUBMITTED, "escalate"): A.ESCALATED,
    (Application, A.ESCALATED, "approve"): A.APPROVED,
    (Application, A.ESCALATED, "refuse"): A.REFUSED,
    (Application, A.ESCALATED, "cancel"): A.CANCELLED,
    (Grant, G.ACTIVE, "revoke"): G.REVOKED,
    (Grant, G.ACTIVE, "expire"): G.EXPIRED,
    (Grant, G.ACTIVE, "renew"): G.RENEWED,
    (Objection, O.OPEN, "confirm"): O.CONFIRMED,
    (Objection, O.OPEN, "correct"): O.CORRECTED,
    (Coordination, C.OPEN, "agree"): C.AGREED,
    (Coordination, C.OPEN, "decline"): C.DECLINED,
    (Coordination, C.OPEN, "escalate"): C.ESCALATED,
    (Coordination, C.DECLINED, "escalate"): C.ESCALATED,
    (Coordination, C.ESCALATED, "conclude"): C.CONCLUDED,
}

# Moves two people may race for (two reviewers deciding one application): the loser is told
# that someone else was first (409), not that the move is impossible.
MACHINE = StateMachine(
    TRANSITIONS, decisions={"approve", "refuse", "confirm", "correct", "agree", "decline", "conclude"}
)
allowed, check, move, save, is_final = MACHINE.allowed, MACHINE.check, MACHINE.move, MACHINE.save, MACHINE.is_final
