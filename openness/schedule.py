from celery.schedules import crontab

BEAT_SCHEDULE = {
    "openness-flush-usage": {"task": "openness.tasks.flush_usage", "schedule": crontab(minute="*")},
    "openness-mark-stale": {"task": "openness.tasks.mark_stale", "schedule": crontab(minute="*/15")},
    "openness-sweep-applications": {
        "task": "openness.tasks.sweep_overdue_applications",
        "schedule": crontab(minute="*/10"),
    },
}
