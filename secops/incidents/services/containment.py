"""Containment actions (控制措施) from an incident, each audited and reversible (Tongren art. 36:
stop the harm spreading; Lhasa art. 39 风险控制).

What is held is refused where it is used: sharing's grant use, openness's API key check and its
downloads ask portal.suspensions, into which `hold_message` is registered (plugin.py). A suspended
account is made inactive (sign-in, sessions, API tokens and keys all refuse an inactive user) and
active again when its last hold is lifted.
"""

from __future__ import annotations

import redis
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import suspensions
from portal.errors import DomainError
from secops.incidents.models import Action, Containment, Incident
from secops.incidents.services.register import log, require_handler

K = Containment.Kind

# Which target fields name each kind's object (all of them must be given).
TARGETS: dict[str, tuple[str, ...]] = {
    K.GRANT: ("grant",),
    K.USER: ("user",),
    K.API_KEY: ("api_key",),
    K.DEPARTMENT_ENTRY: ("department", "entry"),
    K.DATASET_DOWNLOADS: ("dataset",),
}


# Whether any hold is active at all, kept in the shared cache: nearly always none is, and every grant
# use, key authentication and download asks, so the usual answer costs no statement. Cleared when a
# hold is made or lifted (after the commit); the timeout bounds how long a reader that raced the commit
# can keep a stale "none".
ANY_ACTIVE_KEY = "incidents:any-active-hold"
ANY_ACTIVE_SECONDS = 15


def _any_active_hold() -> bool:
    try:
        cached = cache.get(ANY_ACTIVE_KEY)
    except redis.RedisError:
        cached = None  # without the cache, ask the database
    if cached is None:
        cached = Containment.objects.filter(active=True).exists()
        try:
            cache.set(ANY_ACTIVE_KEY, cached, ANY_ACTIVE_SECONDS)
        except redis.RedisError:
            pass
    return bool(cached)


def _forget_any_active() -> None:
    try:
        cache.delete(ANY_ACTIVE_KEY)
    except redis.RedisError:
        pass  # nothing cached can outlive ANY_ACTIVE_SECONDS


def _holds_changed() -> None:
    _forget_any_active()
    transaction.on_commit(_forget_any_active)


def hold_message(kind: str, **target) -> str | None:
    """portal.suspensions' check: the refusal for a held target, or None (no statement while no hold
    is active anywhere, else one indexed query)."""
    if not _any_active_hold():
        return None
    holds = Containment.objects.filter(active=True)
    if kind == suspensions.GRANT:
        holds = holds.filter(kind=K.GRANT, grant_id=target["grant_id"])
        message = _("该授权因安全事件处置已被暂停使用。")
    elif kind == suspensions.DEPARTMENT_ENTRY:
        holds = holds.filter(
            kind=K.DEPARTMENT_ENTRY, department_id=target["department_id"], entry_id=target["entry_id"]
        )
        message = _("因安全事件处置，本部门对该资源的访问已被暂停。")
    elif kind == suspensions.API_KEY:
        holds = holds.filter(kind=K.API_KEY, api_key_id=target["api_key_id"])
        message = _("该接口密钥因安全事件处置已被暂停。")
    elif kind == suspensions.DATASET_DOWNLOADS:
        holds = holds.filter(kind=K.DATASET_DOWNLOADS, dataset_id=target["dataset_id"])
        message = _("因安全事件处置，该数据集暂停下载。")
    else:
        return None
    return message if holds.exists() else None


def contain(*, actor, incident: Incident, kind: str, reason: str, **target) -> Containment:
    """Hold one target for an open incident; a target already held by this incident is refused."""
    require_handler(actor)
    if kind not in TARGETS:
        raise DomainError(_("未知的控制措施。"), code="bad_kind")
    fields = TARGETS[kind]
    if any(target.get(name) is None for name in fields):
        raise DomainError(_("请选择控制措施的对象。"), code="no_target")
    if not reason.strip():
        raise DomainError(_("请填写采取控制措施的原因。"), code="reason_required")
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if not incident.is_open:
            raise DomainError(_("事件已关闭，不能再采取控制措施。"), code="closed")
        chosen = {name: target[name] for name in fields}
        if Containment.objects.filter(incident=incident, kind=kind, active=True, **chosen).exists():
            raise DomainError(_("该对象已被本事件暂停。"), code="already_held")
        if kind == K.USER:
            _suspend_user(actor, chosen["user"])
        _holds_changed()
        hold = Containment.objects.create(
            incident=incident, kind=kind, reason=reason.strip(), applied_by=actor, applied_at=timezone.now(), **chosen
        )
        log(
            incident,
            Action.Kind.CONTAIN,
            actor,
            f"{hold}。{hold.reason}",
            audit="incidents.contain.apply",
            detail={
                "containment": hold.pk,
                "kind": kind,
                **{f"{name}_id": getattr(obj, "pk", obj) for name, obj in chosen.items()},
            },
        )
    return hold


def _suspend_user(actor, user) -> None:
    User = get_user_model()
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.pk == actor.pk:
        raise DomainError(_("不能停用自己的账号。"), code="self")
    already = Containment.objects.filter(kind=K.USER, user=locked, active=True).exists()
    if not locked.is_active and not already:
        raise DomainError(_("该账号已经停用。"), code="inactive")
    User.objects.filter(pk=locked.pk).update(is_active=False)
    user.is_active = False


def lift(*, actor, hold: Containment, reason: str) -> Containment:
    """Reverse a containment action (an incident closed, or the hold no longer needed); an account is
    active again only when no other hold keeps it suspended."""
    require_handler(actor)
    if not reason.strip():
        raise DomainError(_("请填写解除原因。"), code="reason_required")
    with transaction.atomic():
        hold = Containment.objects.select_for_update().select_related("incident").get(pk=hold.pk)
        if not hold.active:
            raise DomainError(_("该控制措施已经解除。"), code="already_lifted")
        hold.active, hold.lifted_by, hold.lifted_at, hold.lift_reason = False, actor, timezone.now(), reason.strip()
        hold.save(update_fields=["active", "lifted_by", "lifted_at", "lift_reason"])
        _holds_changed()
        user_id = hold.user_id
        if user_id is not None and not Containment.objects.filter(kind=K.USER, user_id=user_id, active=True).exists():
            get_user_model().objects.filter(pk=user_id).update(is_active=True)
        log(
            hold.incident,
            Action.Kind.LIFT,
            actor,
            _("解除：%(h)s。%(r)s") % {"h": hold, "r": hold.lift_reason},
            audit="incidents.contain.lift",
            detail={"containment": hold.pk, "kind": hold.kind},
        )
    return hold
