"""The state machines of the open-data app: one table of allowed moves (STYLE §4)."""
from django.utils.translation import gettext as _

from openness.models import Application, DatasetVersion
from portal.errors import InvalidTransitionError

V = DatasetVersion.Status
A = Application.Status

# (model, from status, action) -> to status
TRANSITIONS = {
    # Lhasa art. 29: every publication is reviewed by the bureau before it goes out.
    (DatasetVersion, V.SUBMITTED, "approve"): V.PUBLISHED,
    (DatasetVersion, V.SUBMITTED, "return"): V.RETURNED,
    (DatasetVersion, V.PUBLISHED, "supersede"): V.SUPERSEDED,
    (DatasetVersion, V.PUBLISHED, "withdraw"): V.WITHDRAWN,
    # issue 14.2: a withdrawal withdraws every version, the superseded ones too (Hechi art. 29)
    (DatasetVersion, V.SUPERSEDED, "withdraw"): V.WITHDRAWN,
    # Lhasa art. 30: the provider answers; the applicant may ask the bureau to re-review.
    (Application, A.PENDING, "approve"): A.APPROVED,
    (Application, A.PENDING, "refuse"): A.REFUSED,
    (Application, A.PENDING, "request_rereview"): A.REREVIEW,  # only once the answer is overdue
    (Application, A.REFUSED, "request_rereview"): A.REREVIEW,
    (Application, A.REREVIEW, "overturn"): A.APPROVED,
    (Application, A.REREVIEW, "uphold"): A.REFUSED,
}


def allowed(obj, action: str) -> bool:
    return (type(obj), obj.status, action) in TRANSITIONS


def move(obj, action: str) -> None:
    """Set obj.status to where `action` leads, or raise InvalidTransitionError (HTTP 400)."""
    target = TRANSITIONS.get((type(obj), obj.status, action))
    if target is None:
        raise InvalidTransitionError(
            _("当前状态为「%(s)s」，不能执行该操作。") % {"s": obj.get_status_display()})
    obj.status = target
