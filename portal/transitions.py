"""One transition-table helper for every state machine of the portal (docs: each app's table lives in
its own `transitions.py`; the rules are here).

A table maps (model, from status, action) -> to status. Anything else raises InvalidTransitionError
(HTTP 400, a Chinese message). A move is written with a conditional UPDATE ... WHERE status = <the
status it was read in>: when another request moved the row first, no row is written and the caller
gets a ConflictError (HTTP 409 in the API, a message on the page) instead of overwriting a decision
somebody else has just made (Lhasa art. 19: one application, one decision).
"""

from __future__ import annotations

from django.db import router
from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.errors import ConflictError, InvalidTransitionError

_LEFT = "_transition_left"  # the status an object was in before move(): what save() requires of its row


class StateMachine:
    """The allowed moves of one app's models, read from its table.

    `decisions` are the actions two people may race for (two reviewers deciding one application):
    the loser is told that someone else was first (409 `already_decided`), not that the move is
    impossible. `message` is the 400's text, with %(s)s for the current status's label."""

    def __init__(self, table: dict, *, decisions=(), message=None, field: str = "status"):
        self.table = dict(table)
        self.decisions = frozenset(decisions)
        self.message = message or gettext_lazy("当前状态为「%(s)s」，不能执行该操作。")
        self.field = field

    def _state(self, obj):
        return getattr(obj, self.field)

    def _label(self, obj) -> str:
        return getattr(obj, f"get_{self.field}_display")()

    def allowed(self, obj, action: str) -> bool:
        return (type(obj), self._state(obj), action) in self.table

    def is_final(self, obj) -> bool:
        """No move leads out of the object's status: it has been decided."""
        state = self._state(obj)
        return not any(model is type(obj) and frm == state for (model, frm, _a) in self.table)

    def check(self, obj, action: str) -> None:
        """Raise unless `action` may be taken from the object's current status: a 409 when a decision
        arrives after someone else's, else a 400."""
        if self.allowed(obj, action):
            return
        if action in self.decisions and self.is_final(obj):
            raise ConflictError(
                _("该事项已经办理（当前状态：%(s)s），请刷新页面查看结果。") % {"s": self._label(obj)},
                code="already_decided",
            )
        raise InvalidTransitionError(str(self.message) % {"s": self._label(obj)})

    def move(self, obj, action: str) -> None:
        """Set the object's status to where `action` leads from its current status, or raise. In memory
        only: save() writes it (or a caller's bulk UPDATE over rows it holds locked)."""
        self.check(obj, action)
        if not hasattr(obj, _LEFT):
            setattr(obj, _LEFT, self._state(obj))
        setattr(obj, self.field, self.table[(type(obj), self._state(obj), action)])

    def save(self, obj, update_fields=()) -> None:
        """Write the status move() set, and `update_fields`, only if the row is still in the status it
        was read in; else raise ConflictError (409). One UPDATE, as Model.save(update_fields=...),
        and the same pre_save/post_save signals (the inbox counts and facet caches listen to them)."""
        model = type(obj)
        left = getattr(obj, _LEFT, self._state(obj))
        names = list(dict.fromkeys([self.field, *update_fields]))
        using = router.db_for_write(model, instance=obj)
        pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=frozenset(names))
        values = {}
        for name in names:
            field = model._meta.get_field(name)
            values[field.attname] = field.pre_save(obj, False)  # auto_now fields take the time, as in save()
        written = model._base_manager.using(using).filter(pk=obj.pk, **{self.field: left}).update(**values)
        if not written:
            raise self._conflict(obj)
        obj.__dict__.pop(_LEFT, None)
        post_save.send(
            sender=model, instance=obj, created=False, update_fields=frozenset(names), raw=False, using=using
        )

    def _conflict(self, obj) -> ConflictError:
        """Someone moved the row between our read and our write: say what it is now."""
        now = type(obj)._base_manager.filter(pk=obj.pk).values_list(self.field, flat=True).first()
        if now is not None:
            setattr(obj, self.field, now)
            if self.is_final(obj):
                return ConflictError(
                    _("该事项已经办理（当前状态：%(s)s），请刷新页面查看结果。") % {"s": self._label(obj)},
                    code="already_decided",
                )
        return ConflictError()
