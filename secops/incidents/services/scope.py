"""Who and what an incident concerns, completed as the handling finds out (Tongren art. 36: tell the
users who may be affected; Sixian art. 39: the departments that may be affected) — an incident the
system opened names nobody at first."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from secops.incidents.models import Action, Incident
from secops.incidents.services.register import log, require_handler


def incident_scope(
    *, actor, incident: Incident, departments=(), users=(), entries=(), grants=(), persons=()
) -> Incident:
    """Add affected departments, users, resources, grants and persons' records (never removes: what
    was once recorded as affected stays on the record)."""
    require_handler(actor)
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        departments, users, entries, grants = list(departments), list(users), list(entries), list(grants)
        incident.affected_departments.add(*departments)
        incident.affected_users.add(*users)
        incident.entries.add(*entries)
        incident.grants.add(*grants)
        added = [str(p).strip()[:200] for p in persons if str(p).strip() and str(p).strip() not in incident.persons]
        if added:
            incident.persons = [*incident.persons, *added]
            incident.save(update_fields=["persons"])
        named = [
            *(d.name for d in departments),
            *(u.get_full_name() or u.username for u in users),
            *(str(e) for e in entries),
            *(str(g) for g in grants),
            *added,
        ]
        log(
            incident,
            Action.Kind.NOTE,
            actor,
            _("补充受影响范围：%(n)s") % {"n": "、".join(named) or "—"},
            audit="incidents.scope",
            detail={
                "departments": [d.pk for d in departments],
                "users": [u.pk for u in users],
                "entries": [e.pk for e in entries],
                "grants": [g.pk for g in grants],
                "persons": len(added),
            },
        )
    return incident
