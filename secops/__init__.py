"""Security operations (安全运营): the incident register and response, detection over the audit stream,
periodic self-checks — one Django app each (docs/architecture.md: above sharing and openness)."""
