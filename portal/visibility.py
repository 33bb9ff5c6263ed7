"""One way to answer 404 for an object the caller may not see, leaving a trace (SECURITY.md 14.4).

Pages and API views answer 404, not 403, for another department's objects, so that an id reveals
nothing. Those refusals left no audit entry: probing ids went unseen (Lhasa art. 41, 43). Every
lookup by id over a visibility selector goes through here:

    entry = visible_or_404(selectors.entries_visible_to(user), pk=pk)
    raise hidden_404(ResourceEntry, pk)        # a selector said None, or a later check said no
    raise hidden_404(load)                     # the object was found, the caller may not see it

When the object exists, it is noted on the request being served; the audit middleware
(audit/middleware.py) turns a 404 answer carrying such a note into a `request.denied` entry with
the object as its target. The caller gets the same 404 as for an id that exists nowhere. An id that
exists nowhere (or is not an id at all) is not recorded: nothing was hidden, and a crawler's typos
would fill the log.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404

from portal.request_context import current_request

HIDDEN_ATTRIBUTE = "_hidden_object"


def note_hidden(obj: models.Model) -> None:
    """Remember on the current request that `obj` exists and was withheld."""
    request = current_request()
    if request is not None:
        setattr(request, HIDDEN_ATTRIBUTE, obj)


def hidden_object(request) -> models.Model | None:
    return getattr(request, HIDDEN_ATTRIBUTE, None)


def hidden_404(model_or_object, pk=None) -> Http404:
    """The Http404 to raise for an object the caller may not see, noting it when it exists.

    `hidden_404(obj)` for an object already fetched; `hidden_404(Model, pk)` for an id a selector
    did not find among the caller's objects (looked up in the whole table, by primary key).
    """
    if isinstance(model_or_object, models.Model):
        note_hidden(model_or_object)
    elif pk is not None:
        try:
            obj = model_or_object._base_manager.filter(pk=pk).first()
        except (ValueError, TypeError, ValidationError, OverflowError):
            obj = None  # not an id of this model at all
        if obj is not None:
            note_hidden(obj)
    return Http404()


def visible_or_404(visible: models.QuerySet, **lookup):
    """The object of `visible` (a selector's queryset of what the caller may see) matching `lookup`,
    or Http404 — noting the object when it exists outside what the caller may see."""
    try:
        return visible.get(**lookup)
    except (visible.model.DoesNotExist, ValueError, TypeError, ValidationError, OverflowError):
        pass
    try:
        obj = visible.model._base_manager.filter(**lookup).first()
    except (ValueError, TypeError, ValidationError, OverflowError):
        obj = None
    raise hidden_404(obj) if obj is not None else Http404()


class VisibleObjectMixin:
    """For DRF generic views and viewsets: get_object() as DRF's, through visible_or_404 over
    get_queryset() (the caller's visible objects), so that a hidden object's 404 is recorded."""

    def get_object(self):
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        lookup = {self.lookup_field: self.kwargs[lookup_url_kwarg]}
        try:
            obj = self.filter_queryset(self.get_queryset()).get(**lookup)
        except (ValueError, TypeError, ValidationError, OverflowError, models.ObjectDoesNotExist):
            visible_or_404(self.get_queryset(), **lookup)  # raises, noting an object hidden from the caller
            raise Http404 from None  # visible, but left out by the caller's own filters
        self.check_object_permissions(self.request, obj)
        return obj
