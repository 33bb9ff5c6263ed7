"""The one table of allowed moves of an incident (the rules: portal.transitions).

已报告 → 处置中 → 已控制 → 已关闭; a contained incident that flares up again goes back to 处置中."""

from portal.transitions import StateMachine
from secops.incidents.models import Incident

S = Incident.Status

TRANSITIONS = {
    (Incident, S.REPORTED, "handle"): S.HANDLING,
    (Incident, S.HANDLING, "contain"): S.CONTAINED,
    (Incident, S.CONTAINED, "reopen"): S.HANDLING,
    (Incident, S.CONTAINED, "close"): S.CLOSED,
}

# Two handlers taking one incident in hand at once: the second is told the first was quicker.
MACHINE = StateMachine(TRANSITIONS, decisions={"handle", "close"})
allowed, check, move, save = MACHINE.allowed, MACHINE.check, MACHINE.move, MACHINE.save
