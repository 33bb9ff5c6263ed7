"""The one table of allowed moves of the sharing app's state machines.

(model, from status, action) -> to status. Anything else raises InvalidTransitionError, which the
API and the pages turn into a 400 with a Chinese message.
"""
from django.utils.translation import gettext as _

from portal.errors import ConflictError, InvalidTransitionError
from sharing.models import Application, Coordination, Grant, Objection

A, G, O, C = Application.Status, Grant.Status, Objection.Status, Coordination.Status

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
_DECISIONS = {"approve", "refuse", "confirm", "correct", "agree", "decline", "conclude"}


def allowed(obj, action: str) -> bool:
    return (type(obj), obj.status, action) in TRANSITIONS


def move(obj, action: str) -> None:
    """Set obj.status to where `action` leads from its current status, or raise."""
    check(obj, action)
    obj.status = TRANSITIONS[(type(obj), obj.status, action)]


def check(obj, action: str) -> None:
    """Raise unless `action` may be taken from the object's current status: a 409 when a decision
    arrives after someone else's (two reviewers at once), else a 400."""
    if (type(obj), obj.status, action) not in TRANSITIONS:
        status = obj.get_status_display()
        if action in _DECISIONS and is_final(obj):
            raise ConflictError(_("该事项已经办理（当前状态：%(s)s），请刷新页面查看结果。") % {"s": status},
                                code="already_decided")
        raise InvalidTransitionError(_("当前状态为「%(s)s」，不能执行该操作。") % {"s": status})


def is_final(obj) -> bool:
    """No move leads out of the object's status: it has been decided."""
    return not any(model is type(obj) and frm == obj.status for (model, frm, _a) in TRANSITIONS)
