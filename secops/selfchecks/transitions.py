"""The one table of allowed moves of a self-check finding (the rules: portal.transitions).

待整改 → 已整改 or 已接受风险 (with the reason); a fix that did not hold, or a risk no longer accepted,
goes back to 待整改."""

from portal.transitions import StateMachine
from secops.selfchecks.models import Finding

S = Finding.Status

TRANSITIONS = {
    (Finding, S.OPEN, "fix"): S.FIXED,
    (Finding, S.OPEN, "accept"): S.ACCEPTED,
    (Finding, S.FIXED, "reopen"): S.OPEN,
    (Finding, S.ACCEPTED, "reopen"): S.OPEN,
}

MACHINE = StateMachine(TRANSITIONS, decisions={"fix", "accept"})
allowed, check, move, save = MACHINE.allowed, MACHINE.check, MACHINE.move, MACHINE.save
