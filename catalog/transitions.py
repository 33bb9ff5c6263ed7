"""The state machine of catalog entry versions: the only moves a version can make (the rules:
portal.transitions). Lhasa art. 6-7: departments submit, the bureau publishes or returns."""

from django.utils.translation import gettext_lazy as _

from catalog.models import EntryVersion
from portal.transitions import StateMachine

V = EntryVersion.Status

# (model, from status, action) -> to status
TRANSITIONS = {
    (EntryVersion, V.DRAFT, "submit"): V.SUBMITTED,
    (EntryVersion, V.RETURNED, "submit"): V.SUBMITTED,
    (EntryVersion, V.SUBMITTED, "approve"): V.PUBLISHED,
    (EntryVersion, V.SUBMITTED, "return"): V.RETURNED,
    (EntryVersion, V.PUBLISHED, "supersede"): V.SUPERSEDED,
    (EntryVersion, V.PUBLISHED, "withdraw"): V.WITHDRAWN,
}

MACHINE = StateMachine(TRANSITIONS, message=_("版本当前状态为「%(s)s」，不能执行该操作。"))
allowed, check, move, save = MACHINE.allowed, MACHINE.check, MACHINE.move, MACHINE.save
