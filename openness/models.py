"""Models of the openness app (built in its own issue)."""
