"""Checks of grants and data items (Lhasa art. 22: a grant serves its stated use for its term;
Sixian art. 39: personal data graded and protected)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from catalog import selectors_security as catalog
from protection.grading.suggest import suggest_item
from secops.selfchecks.checks import Context, Found
from secops.selfchecks.conf import setting
from sharing import selectors_security as sharing

# protection.grading.suggest: level 3 敏感 and above is personal information.
PERSONAL_LEVEL = 3


def _grant_subject(g) -> str:
    return _("授权 #%(id)s：%(e)s → %(h)s") % {"id": g.pk, "e": g.entry, "h": g.holder_department}


def grants_expired_active(ctx: Context) -> list[Found]:
    return [
        Found(
            "high",
            _grant_subject(g),
            _("已于 %(d)s 到期，状态仍为有效。") % {"d": g.expires_at.date().isoformat()},
            g.provider_department_id,
        )
        for g in sharing.expired_but_active(now=ctx.now)[: setting("MAX_FINDINGS_PER_CHECK")]
    ]


def grants_unused(ctx: Context) -> list[Found]:
    days = setting("GRANT_UNUSED_DAYS")
    since = ctx.now - dt.timedelta(days=days)
    return [
        Found(
            "low",
            _grant_subject(g),
            _("%(d)s 天内未被使用，请核实是否仍需要，不需要的请撤销。") % {"d": days},
            g.provider_department_id,
        )
        for g in sharing.unused_since(since=since, now=ctx.now)[: setting("MAX_FINDINGS_PER_CHECK")]
    ]


def personal_unprotected(ctx: Context) -> list[Found]:
    found: list[Found] = []
    for item in catalog.unprotected_published_items().iterator(chunk_size=500):
        suggestion = suggest_item(type=item.type, key=item.key, name=item.name)
        if suggestion.level < PERSONAL_LEVEL:
            continue
        entry = item.version.entry
        found.append(
            Found(
                "high" if suggestion.level > PERSONAL_LEVEL else "medium",
                _("%(e)s 的信息项「%(i)s」") % {"e": entry.code, "i": item.name},
                _("疑似个人信息（%(why)s），既未标记敏感（脱敏）也未分级。") % {"why": suggestion.reason},
                entry.department_id,
            )
        )
        if len(found) >= setting("MAX_FINDINGS_PER_CHECK"):
            break
    return found
