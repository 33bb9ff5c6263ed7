"""The world of the detection tests: audit entries written through audit.services.record at chosen
times and addresses (the clock record() reads and the request it takes the address from), then a
pass over the stream as beat runs it (the task's code)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

import audit.services
from secops.detection.models import Alert, DetectionRule
from secops.detection.services.rules import ensure_rules
from secops.detection.tasks import detect

ZONE = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def _watch_a_month(settings, db):
    # The first pass starts a month back, so the tests may write entries on chosen past days.
    settings.DETECTION = {"START_BACK_SECONDS": 30 * 24 * 3600}
    ensure_rules()


class Writer:
    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def __call__(self, action, *, at=None, actor=None, ip=None, target=None, outcome="success", detail=None):
        request = SimpleNamespace(client_ip=ip, request_id="", user=None) if ip else None
        with self.monkeypatch.context() as patch:
            if at is not None:
                patch.setattr(audit.services, "timezone", SimpleNamespace(now=lambda: at))
            return audit.services.record(
                action, actor=actor, target=target, outcome=outcome, detail=detail or {}, request=request
            )


@pytest.fixture
def write(monkeypatch):
    return Writer(monkeypatch)


def local(days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment `days_ago` days before today, at hour:minute Asia/Shanghai (never in the future)."""
    today = dt.datetime.now(ZONE).date()
    moment = dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(hour, minute), tzinfo=ZONE)
    return moment if moment <= dt.datetime.now(ZONE) else moment - dt.timedelta(days=1)


def only(code: str) -> DetectionRule:
    """Switch every other rule off: each test looks at one rule."""
    DetectionRule.objects.exclude(code=code).update(enabled=False)
    return DetectionRule.objects.get(code=code)


def run() -> int:
    return detect()


def alerts(code: str):
    return list(Alert.objects.filter(rule__code=code).prefetch_related("evidence"))
