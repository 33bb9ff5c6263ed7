"""Every state change of detection: the rules' settings (rules.py), alerts (alerts.py), the pass
over the audit stream (passes.py)."""
