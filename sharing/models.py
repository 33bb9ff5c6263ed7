"""Models of the sharing app (built in its own issue)."""
