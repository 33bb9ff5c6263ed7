"""Reads of the catalog, already filtered by what the user may see (spec C5, issue 4 §8).

- every signed-in user sees published entries' metadata;
- a not-shared entry shows only that it exists and who holds it (Lhasa art. 8(3));
- drafts (never-published entries, unpublished revisions) only to their department and the bureau;
- row data only to its department, the bureau, and holders of a grant (checks registered by sharing).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from catalog import search
from catalog.models import EntryVersion, ResourceEntry, ShareType
from portal.permissions import can

# Other apps (sharing) add callables (user, entry) -> bool that grant row access.
ROW_ACCESS_CHECKS: list = []

FACETS = ["department", "category", "theme", "share_type", "open_type", "data_format"]
SORTS = {
    "relevance": None,
    "newest": ["-publish_date", "-id"],
    "name": ["name", "id"],
    "updated": ["-updated_at", "-id"],
}


def _department_id(user):
    """The user's department, None for anonymous visitors and public users."""
    return getattr(user, "department_id", None)


def sees_all_drafts(user) -> bool:
    return can(user, "catalog.view_all_entries")


def may_see_working(user, entry: ResourceEntry) -> bool:
    """Drafts and unpublished revisions: the entry's own department and the bureau."""
    return bool(user.is_authenticated and (
        sees_all_drafts(user) or (_department_id(user) is not None and _department_id(user) == entry.department_id)))


def may_see_details(user, entry: ResourceEntry) -> bool:
    """Items, conditions and the rest: hidden from other departments when the entry is not shared."""
    version = entry.published_version or entry.working_version
    if version is None:
        return False
    if version.share_type != ShareType.NOT_SHARED:
        return True
    return may_see_working(user, entry)


def may_see_rows(user, entry: ResourceEntry) -> bool:
    if not user.is_authenticated:
        return False
    if can(user, "catalog.view_all_rows") or (_department_id(user) and _department_id(user) == entry.department_id):
        return True
    return any(check(user, entry) for check in ROW_ACCESS_CHECKS)


def entries_visible_to(user) -> QuerySet:
    """Entries the user may know about: published (or withdrawn) ones, and drafts they may see."""
    qs = ResourceEntry.objects.select_related("department", "published_version", "working_version")
    if sees_all_drafts(user):
        return qs
    mine = Q(department_id=_department_id(user)) if _department_id(user) else Q(pk__in=[])
    return qs.filter(Q(published_version__isnull=False) | mine)


def entry_for(user, pk: int) -> ResourceEntry | None:
    return entries_visible_to(user).filter(pk=pk).first()


def versions_searchable_by(user) -> QuerySet:
    """One version per entry: the working version where the user may see it, else the published one."""
    published = Q(status=EntryVersion.Status.PUBLISHED, entry__withdrawn_at__isnull=True)
    if sees_all_drafts(user):
        working = Q(entry__working_version=F("pk"))
        hidden = Q(entry__working_version__isnull=False, status=EntryVersion.Status.PUBLISHED)
    elif _department_id(user):
        working = Q(entry__working_version=F("pk"), entry__department_id=_department_id(user))
        hidden = Q(entry__working_version__isnull=False, status=EntryVersion.Status.PUBLISHED,
                   entry__department_id=_department_id(user))
    else:
        working, hidden = Q(pk__in=[]), Q(pk__in=[])
    return EntryVersion.objects.filter((published & ~hidden) | working)


@dataclass
class SearchResult:
    versions: QuerySet
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    query: str = ""


def search_versions(user, *, q: str = "", filters: dict | None = None, sort: str = "relevance",
                    with_facets: bool = True) -> SearchResult:
    """Search names, summaries and item names (Chinese bigrams), filter by facets, sort."""
    from django.contrib.postgres.search import SearchQuery, SearchRank

    qs = versions_searchable_by(user).select_related("entry", "entry__department")
    expression = search.tsquery(q)
    if expression:
        query = SearchQuery(expression, search_type="raw", config="simple")
        qs = qs.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
    for name, value in (filters or {}).items():
        if not value:
            continue
        if name == "department":
            qs = qs.filter(entry__department_id=value)
        elif name in FACETS:
            qs = qs.filter(**{name: value})
        elif name == "status":
            qs = qs.filter(status=value)
    if sort == "relevance" and expression:
        qs = qs.order_by("-rank", "-publish_date", "-id")
    else:
        qs = qs.order_by(*(SORTS.get(sort) or SORTS["newest"]))
    facets = {}
    if with_facets:
        for facet in FACETS:
            column = "entry__department" if facet == "department" else facet
            rows = qs.order_by().values(column).annotate(n=Count("id")).order_by("-n")[:30]
            facets[facet] = [(row[column], row["n"]) for row in rows if row[column] not in (None, "")]
    return SearchResult(versions=qs, facets=facets, query=q)
