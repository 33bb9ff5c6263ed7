from celery.schedules import crontab

BEAT_SCHEDULE = {
    "plugin-app-sweep": {"task": "tests.plugin_app.tasks.sweep", "schedule": crontab(minute="*/7")},
    "plugin-app-audited": {"task": "tests.plugin_app.tasks.audited", "schedule": crontab(minute=3, hour=4)},
}
PROTECTED = frozenset({"plugin-app-audited"})
