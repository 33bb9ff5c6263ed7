"""The base domain: departments, users, roles and permissions, working days, notifications, the inbox
and navigation. It imports no other app of the portal (docs/architecture.md)."""
