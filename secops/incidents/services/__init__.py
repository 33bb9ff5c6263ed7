"""The incident register's services (docs: secops/incidents/models.py for the rules they implement).

`open_incident` is what the detection rules call: the system as reporter, the audit entries that
fired the rule as evidence."""

from secops.incidents.services.register import incident_move, open_incident, report_incident

__all__ = ["incident_move", "open_incident", "report_incident"]
