"""The bureau admin edits the search synonyms (issue 18 part 8: 养老院 → 养老机构).

Lhasa art. 41: every change is audited, in the same transaction; the cached table is forgotten
once the change commits, so the next search reads the new one.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import record
from catalog import synonyms as table
from catalog.synonyms import SearchSynonym
from portal.errors import DomainError, NotFoundError, PermissionDeniedError
from portal.models import User
from portal.permissions import can

MAX_SYNONYMS = 10
_WORD = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z0-9 ]{1,50}$")


def may_view(user: User) -> bool:
    """The bureau admin, and the bureau reviewer who reads the table (catalog plugin's role permissions)."""
    return can(user, "catalog.view_searchsynonym")


def may_edit(user: User) -> bool:
    return can(user, "catalog.change_searchsynonym")


def _require(actor: User, perm: str = "catalog.change_searchsynonym") -> None:
    if not can(actor, perm):
        raise PermissionDeniedError(_("只有大数据局管理员可以维护检索同义词。"))


def _error(field: str, message: str) -> DomainError:
    return DomainError(message, code="invalid_synonym", errors={field: [message]})


def parse_synonyms(text: str | list) -> list[str]:
    """'养老机构，敬老院' or a list → ['养老机构', '敬老院'] (separated by commas, 、, ; or new lines)."""
    if isinstance(text, (list, tuple)):
        parts = [p if isinstance(p, str) else "\ufffd" for p in text]  # a number or an object is no word
    else:
        parts = re.split(r"[,，、;；\n]+", text if isinstance(text, str) else "")
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def _clean(term: str, synonyms: str | list) -> tuple[str, list[str]]:
    term = term.strip() if isinstance(term, str) else ""
    if not _WORD.match(term):
        raise _error("term", _("检索词为 1 至 50 个汉字、字母或数字。"))
    words = [w for w in parse_synonyms(synonyms) if w != term]
    if not words:
        raise _error("synonyms", _("请至少填写一个同义词。"))
    if len(words) > MAX_SYNONYMS:
        raise _error("synonyms", _("同义词最多 %(n)d 个。") % {"n": MAX_SYNONYMS})
    if any(not _WORD.match(w) for w in words):
        raise _error("synonyms", _("每个同义词为 1 至 50 个汉字、字母或数字。"))
    return term, words


def _forget() -> None:
    table.forget()


@transaction.atomic
def synonym_save(*, actor: User, term: str, synonyms: str | list) -> SearchSynonym:
    """Create the term's row or replace its synonyms."""
    _require(actor)
    term, words = _clean(term, synonyms)
    row = SearchSynonym.objects.select_for_update().filter(term=term).first()
    previous = list(row.synonyms) if row else None
    if row is None:
        row = SearchSynonym.objects.create(term=term, synonyms=words, updated_by=actor)
    else:
        row.synonyms, row.updated_by = words, actor
        row.save(update_fields=["synonyms", "updated_by", "updated_at"])
    return _saved(actor, row, term=term, synonyms=words, previous=previous)


def _saved(actor: User, row: SearchSynonym, **detail) -> SearchSynonym:
    """Every save (add, edit, rename) is one audit action, and the searches' cached synonyms go."""
    record("catalog.synonym.save", actor=actor, target=row, detail=detail)
    _forget()
    return row


def _exists(term: str) -> DomainError:
    return _error("term", _("检索词「%(term)s」已有同义词，请修改该条。") % {"term": term})


@transaction.atomic
def synonym_create(*, actor: User, term: str, synonyms: str | list) -> SearchSynonym:
    """A new term (the admin's 新增): refused when the term has its row already, never overwritten."""
    _require(actor, "catalog.add_searchsynonym")
    term, words = _clean(term, synonyms)
    if SearchSynonym.objects.filter(term=term).exists():
        raise _exists(term)
    try:
        with transaction.atomic():  # a savepoint: a concurrent 新增 of the same term loses on the unique index
            row = SearchSynonym.objects.create(term=term, synonyms=words, updated_by=actor)
    except IntegrityError:
        raise _exists(term) from None
    return _saved(actor, row, term=term, synonyms=words, previous=None)


@transaction.atomic
def synonym_change(*, actor: User, synonym: SearchSynonym, term: str, synonyms: str | list) -> SearchSynonym:
    """One row edited: its synonyms, or its term too (refused when another row has that term)."""
    _require(actor)
    term, words = _clean(term, synonyms)
    row = SearchSynonym.objects.select_for_update().filter(pk=synonym.pk).first()
    if row is None:
        raise NotFoundError(_("该检索同义词已被删除。"))
    if term != row.term and SearchSynonym.objects.filter(term=term).exists():
        raise _exists(term)
    previous_term, previous = row.term, list(row.synonyms)
    row.term, row.synonyms, row.updated_by = term, words, actor
    try:
        with transaction.atomic():
            row.save(update_fields=["term", "synonyms", "updated_by", "updated_at"])
    except IntegrityError:
        raise _exists(term) from None
    return _saved(actor, row, term=term, synonyms=words, previous=previous, previous_term=previous_term)


@transaction.atomic
def synonym_delete(*, actor: User, synonym: SearchSynonym) -> None:
    _require(actor, "catalog.delete_searchsynonym")
    row = SearchSynonym.objects.select_for_update().filter(pk=synonym.pk).first()
    if row is None:
        return
    record(
        "catalog.synonym.delete",
        actor=actor,
        target=row,
        detail={"term": row.term, "synonyms": list(row.synonyms)},
    )
    row.delete()
    _forget()
