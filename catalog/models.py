"""Models of the catalog app (built in its own issue)."""
