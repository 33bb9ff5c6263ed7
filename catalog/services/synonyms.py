"""The bureau admin edits the search synonyms (issue 18 part 8: 养老院 → 养老机构).

Lhasa art. 41: every change is audited, in the same transaction; the cached table is forgotten
once the change commits, so the next search reads the new one.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record
from catalog import synonyms as table
from catalog.synonyms import SearchSynonym
from portal.errors import DomainError, PermissionDeniedError
from portal.models import User
from portal.roles import Role

MAX_SYNONYMS = 10
_WORD = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z0-9 ]{1,50}$")


def may_edit(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.BUREAU_ADMIN)


def _require(actor: User) -> None:
    if not may_edit(actor):
        raise PermissionDeniedError(_("只有大数据局管理员可以维护检索同义词。"))


def _error(field: str, message: str) -> DomainError:
    return DomainError(message, code="invalid_synonym", errors={field: [message]})


def parse_synonyms(text: str | list) -> list[str]:
    """'养老机构，敬老院' or a list → ['养老机构', '敬老院'] (separated by commas, 、, ; or new lines)."""
    parts = text if isinstance(text, list) else re.split(r"[,，、;；\n]+", text or "")
    return list(dict.fromkeys(str(p).strip() for p in parts if str(p).strip()))


def _clean(term: str, synonyms: str | list) -> tuple[str, list[str]]:
    term = (term or "").strip()
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
    # now (this transaction's next read) and after the commit (a read meanwhile cached the old table)
    table.forget()
    transaction.on_commit(table.forget)


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
    record(
        "catalog.synonym.save",
        actor=actor,
        target=row,
        detail={"term": term, "synonyms": words, "previous": previous},
    )
    _forget()
    return row


@transaction.atomic
def synonym_delete(*, actor: User, synonym: SearchSynonym) -> None:
    _require(actor)
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
