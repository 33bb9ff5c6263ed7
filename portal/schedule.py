from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Notifications whose e-mail was not queued (Redis was down when they were made).
    "portal-send-pending-notification-emails": {
        "task": "portal.tasks.send_pending_notification_emails",
        "schedule": crontab(minute="*/5"),
    },
}
