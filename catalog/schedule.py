from celery.schedules import crontab

BEAT_SCHEDULE = {
    "catalog-sweep-update-duties": {"task": "catalog.tasks.sweep_update_duties", "schedule": crontab(minute="*/10")},
    "catalog-resume-loads": {"task": "catalog.tasks.resume_loads", "schedule": crontab(minute="*/5")},
    "catalog-resume-imports": {"task": "catalog.tasks.resume_imports", "schedule": crontab(minute="*/5")},
    "catalog-flag-unmaintained": {"task": "catalog.tasks.flag_unmaintained", "schedule": crontab(hour=2, minute=30)},
}
