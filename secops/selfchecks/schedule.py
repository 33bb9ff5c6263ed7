"""Periodic jobs of the self-checks (loaded by config.celery into beat's schedule). The city opinion
(004): a security check every month and every half year — on the 1st of each month, and on 1 January
and 1 July. Each sweep makes its period's run once (unique period key), so a second beat firing, or a
rerun after a missed day, does nothing twice; the daily catch-up runs make a missed 1st good."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "selfchecks-monthly": {
        "task": "secops.selfchecks.tasks.monthly_selfcheck",
        "schedule": crontab(minute=30, hour=2, day_of_month="1"),
    },
    "selfchecks-half-yearly": {
        "task": "secops.selfchecks.tasks.half_yearly_selfcheck",
        "schedule": crontab(minute=0, hour=3, day_of_month="1", month_of_year="1,7"),
    },
    # A worker or beat down on the 1st: the period's run is made the next day (the key keeps it one).
    "selfchecks-monthly-catch-up": {
        "task": "secops.selfchecks.tasks.monthly_selfcheck",
        "schedule": crontab(minute=30, hour=4),
    },
    "selfchecks-half-yearly-catch-up": {
        "task": "secops.selfchecks.tasks.half_yearly_selfcheck",
        "schedule": crontab(minute=45, hour=4),
    },
    # An on-demand run whose message was lost (broker down when it was asked for) is done here.
    "selfchecks-resume-queued": {
        "task": "secops.selfchecks.tasks.resume_queued_runs",
        "schedule": crontab(minute="*/10"),
    },
}
