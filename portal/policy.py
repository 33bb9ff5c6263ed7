"""Settings the bureau owns: deadline lengths and the articles the rules cite (issue 19, part 4).

The five regulations set different deadlines (docs/features.md, "Deadlines by city": catalog update
7 / 10 / 15 working days, Lhasa art. 7, Sixian art. 19, Hechi art. 13; provider review 5 or 7,
Lhasa art. 19, Sixian art. 27) and each installation cites its own city's articles. The bureau admin
sets them in the portal (portal.views.policy); every change is a new PolicySetting row in force from
its date, so the history is kept and a deadline already computed keeps its stored due time: the apps
read value() once, when the item is created (new items use the new value, open ones keep theirs).

Without a row in force, the environment setting decides (settings.PORTAL, settings.OPEN_DATA: the
portal's behaviour before this module), so an installation that never opens the page is unchanged.
The portal is the bottom layer, so every app reads it; it imports none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.cached_counts import CachedCounts

DAYS = "days"
TEXT = "text"
# Bounds of a deadline length: no regulation gives fewer than 1 or more than 15 working days;
# 60 leaves room for a city's own rule while refusing typing errors (500).
MIN_DAYS, MAX_DAYS = 1, 60
MAX_TEXT = 200

# The rows of every key, kept in Redis; retired when a value is set (portal.services.policy).
CACHE = CachedCounts("policy", seconds=3600)


@dataclass(frozen=True)
class Policy:
    key: str
    label: str | Promise
    kind: str  # DAYS or TEXT
    default: Callable[[], object]
    group: str | Promise
    help: str | Promise = ""

    def default_value(self) -> object:
        value = self.default()
        return int(value) if self.kind == DAYS else str(value)


def _portal(name: str) -> Callable[[], object]:
    return lambda: settings.PORTAL[name]


def _open_data(name: str, fallback: int) -> Callable[[], object]:
    # openness.conf's defaults, read here without importing the app (the portal is the bottom layer).
    return lambda: (getattr(settings, "OPEN_DATA", None) or {}).get(name, fallback)


def _text(default: str | Promise) -> Callable[[], object]:
    return lambda: str(default)


_CATALOG, _SHARING, _OPEN = _("资源目录"), _("数据共享"), _("数据开放")

REGISTRY: dict[str, Policy] = {
    p.key: p
    for p in (
        Policy(
            "CATALOG_UPDATE_WORKING_DAYS",
            _("目录更新期限（工作日）"),
            DAYS,
            _portal("CATALOG_UPDATE_WORKING_DAYS"),
            _CATALOG,
            _("法律法规或部门职责变化后，部门更新资源目录的期限。"),
        ),
        Policy("CATALOG_UPDATE_ARTICLE", _("目录更新期限的依据条款"), TEXT, _text(_("拉萨办法第七条")), _CATALOG),
        Policy(
            "SHARE_REVIEW_WORKING_DAYS",
            _("有条件共享审核期限（工作日）"),
            DAYS,
            _portal("SHARE_REVIEW_WORKING_DAYS"),
            _SHARING,
            _("提供部门答复有条件共享申请、协调申请的期限。"),
        ),
        Policy("SHARE_REVIEW_ARTICLE", _("共享审核期限的依据条款"), TEXT, _text(_("拉萨办法第十九条")), _SHARING),
        Policy(
            "SHARE_MINIMUM_GRANT_ARTICLE",
            _("最小授权原则的依据条款"),
            TEXT,
            _text(_("拉萨办法第二十二条")),
            _SHARING,
            _("提供部门审核申请时页面引用的条款。"),
        ),
        Policy(
            "OBJECTION_WORKING_DAYS",
            _("数据异议核查期限（工作日）"),
            DAYS,
            _portal("OBJECTION_WORKING_DAYS"),
            _SHARING,
            _("提供部门核查使用部门所提异议的期限。"),
        ),
        Policy("OBJECTION_ARTICLE", _("异议核查期限的依据条款"), TEXT, _text(_("拉萨办法第二十三条")), _SHARING),
        Policy(
            "OPEN_DATA_APPLICATION_WORKING_DAYS",
            _("依申请开放答复期限（工作日）"),
            DAYS,
            _open_data("APPLICATION_WORKING_DAYS", 5),
            _OPEN,
            _("数据提供部门答复依申请开放数据申请的期限。"),
        ),
        Policy(
            "OPEN_DATA_REREVIEW_WORKING_DAYS",
            _("开放申请复核期限（工作日）"),
            DAYS,
            _open_data("REREVIEW_WORKING_DAYS", 5),
            _OPEN,
            _("申请人请求复核后，大数据局答复的期限。"),
        ),
    )
}


class UnknownPolicy(KeyError):
    pass


def policy(key: str) -> Policy:
    try:
        return REGISTRY[key]
    except KeyError:
        raise UnknownPolicy(key) from None


def history(key: str) -> list[tuple[dt.date, str]]:
    """(effective_from, value) of every row of `key`, latest first (the latest set wins a tie)."""
    from portal.models import PolicySetting

    policy(key)

    def rows():
        return list(
            PolicySetting.objects.filter(key=key)
            .order_by("-effective_from", "-created_at", "-id")
            .values_list("effective_from", "value")
        )

    return CACHE.get(key, rows)


def value(key: str, on: dt.date | None = None):
    """The value of `key` in force on `on` (today in Asia/Shanghai by default): the latest row whose
    effective date is on or before it, else the environment default."""
    found = policy(key)
    on = on or timezone.localdate()
    for effective_from, stored in history(key):
        if effective_from <= on:
            return int(stored) if found.kind == DAYS else stored
    return found.default_value()


def working_days(key: str, on: dt.date | None = None) -> int:
    days = value(key, on)
    assert isinstance(days, int)
    return days


def text(key: str, on: dt.date | None = None) -> str:
    return str(value(key, on))
