"""Business rules of data sharing. Every state change is a function here: keyword-only arguments,
the acting user first, one transaction, the changed row locked, a permission check, an audit entry,
notifications after commit (portal.services.notifications sends them once per key)."""
