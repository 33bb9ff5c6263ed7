"""Reads of the catalog, already filtered by what the user may see (docs/features.md C5).

- every signed-in user sees published entries' metadata;
- a not-shared entry shows only that it exists and who holds it (Lhasa art. 8(3));
- drafts (never-published entries, unpublished revisions) only to their department and the bureau;
- row data only to its department, the bureau, and holders of a grant (checks registered by sharing).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import F, Q, QuerySet

from catalog import search
from catalog.models import (
    CatalogImport,
    DataItem,
    DataLoad,
    EntryVersion,
    OpenType,
    ResourceEntry,
    ShareType,
    UpdateDuty,
)
from portal import plugins
from portal.cached_counts import CachedCounts
from portal.models import Department
from portal.permissions import can, filter_allowed
from protection.grading.services import sensitive_item_filter


def row_access_checks() -> tuple:
    """Other apps' callables (user, entry) -> bool that grant row access (sharing's live grants),
    from their plugins (portal.plugins, `row_access_checks`)."""
    return plugins.contributions("row_access_checks")


# grade_level / grade_category: the version's grade (Lhasa art. 39 分级分类管理, docs/grading.md)
FACETS = ["department", "category", "theme", "share_type", "open_type", "data_format", "grade_category", "grade_level"]
NEWEST = ["-publish_date", "-id"]
SORTS = {
    "relevance": None,  # by rank, when there is a search expression (else newest)
    "newest": NEWEST,
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
    return bool(
        user.is_authenticated
        and (
            sees_all_drafts(user) or (_department_id(user) is not None and _department_id(user) == entry.department_id)
        )
    )


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
    return any(check(user, entry) for check in row_access_checks())


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
        hidden = Q(
            entry__working_version__isnull=False,
            status=EntryVersion.Status.PUBLISHED,
            entry__department_id=_department_id(user),
        )
    else:
        working, hidden = Q(pk__in=[]), Q(pk__in=[])
    return EntryVersion.objects.filter((published & ~hidden) | working)


FACET_LIMIT = 30  # values shown per facet, most frequent first
# The total and facet counts may lag a change made outside the catalog's saves by this long.
FACET_COUNTS = CachedCounts("catalog:facets", seconds=60)


@dataclass
class SearchResult:
    versions: QuerySet
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    query: str = ""
    total: int | None = None  # len(versions), counted with the facets; None when facets were not asked for


def visibility_scope(user) -> str:
    """What makes versions_searchable_by differ between users: everything, one department's drafts, or none."""
    if sees_all_drafts(user):
        return "all"
    return f"department:{_department_id(user)}" if _department_id(user) else "published"


def facet_counts(qs: QuerySet) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """The number of versions in `qs` and the counts of each facet's values, in one statement.

    One GROUP BY GROUPING SETS over the filtered versions instead of a COUNT(*) and a GROUP BY per
    facet: the full-text match and the joins of visibility run once instead of seven times.
    """
    columns = ["entry__department_id", *[f for f in FACETS if f != "department"]]
    inner, params = qs.order_by().values_list(*columns).query.sql_with_params()
    names = ", ".join(FACETS)
    sets = ", ".join(f"({name})" for name in FACETS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT GROUPING({names}), {names}, COUNT(*) FROM ({inner}) AS versions({names})"
            f" GROUP BY GROUPING SETS ({sets}, ())",
            params,
        )
        rows = cursor.fetchall()
    everything = (1 << len(FACETS)) - 1  # GROUPING() sets the bit of every column not grouped by
    total = 0
    counts: dict[str, list[tuple[str, int]]] = {facet: [] for facet in FACETS}
    for row in rows:
        grouping, values, n = row[0], row[1:-1], row[-1]
        if grouping == everything:
            total = n
            continue
        position = next(i for i in range(len(FACETS)) if not grouping & (1 << (len(FACETS) - 1 - i)))
        if values[position] not in (None, ""):
            counts[FACETS[position]].append((values[position], n))
    for values in counts.values():
        values.sort(key=lambda pair: (-pair[1], str(pair[0])))
        del values[FACET_LIMIT:]
    return total, counts


def forget_facet_counts(**_signal_kwargs) -> None:
    """Connected to the saves and deletes of entries and versions (catalog.apps)."""
    FACET_COUNTS.forget()


def _cached_facet_counts(user, qs: QuerySet, *, expression: str | None, filters: dict):
    """facet_counts(qs) per (visibility scope, query, filters): a department never receives counts
    that include another department's drafts."""
    described = json.dumps([visibility_scope(user), expression or "", sorted(filters.items())], ensure_ascii=False)
    return FACET_COUNTS.get(hashlib.sha256(described.encode()).hexdigest(), lambda: facet_counts(qs))


def search_versions(
    user, *, q: str = "", filters: dict | None = None, sort: str = "relevance", with_facets: bool = True
) -> SearchResult:
    """Search names, summaries and item names (Chinese bigrams), filter by facets, sort.

    The versions are always read fresh; the total and the facet counts come from FACET_COUNTS.
    """
    from django.contrib.postgres.search import SearchQuery, SearchRank

    # The search vector is the widest column and no page shows it. The departments of a page are
    # read by id afterwards: joined here, they were joined to every match before the sort and the
    # limit, and the join kept PostgreSQL from bounding the sort of the whole catalog to 20 rows.
    qs = (
        versions_searchable_by(user)
        .select_related("entry")
        .prefetch_related("entry__department")
        .defer("search_vector")
    )
    expression = search.tsquery(q)
    if expression:
        query = SearchQuery(expression, search_type="raw", config="simple")
        qs = qs.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
    applied = {}
    for name, value in (filters or {}).items():
        if not value:
            continue
        if name == "department":
            qs = qs.filter(entry__department_id=value)
        elif name == "grade_level":
            # not a level number: a level no version has (none() cannot be counted in facet_counts' SQL)
            qs = qs.filter(grade_level=int(value) if str(value).isdigit() and len(str(value)) < 5 else 0)
        elif name in FACETS:
            # psycopg2 refuses a NUL in a literal (the fuzzer's ?category=%00 answered 500); U+FFFD
            # matches no stored value either
            qs = qs.filter(**{name: str(value).replace("\x00", "\ufffd")})
        elif name == "status":
            qs = qs.filter(status=value)
        else:
            continue
        applied[name] = str(value)
    total, facets = None, {}
    if with_facets:
        total, facets = _cached_facet_counts(user, qs, expression=expression, filters=applied)
    if sort == "relevance" and expression:
        qs = qs.order_by("-rank", "-publish_date", "-id")
    else:
        qs = qs.order_by(*(SORTS.get(sort) or NEWEST))
    return SearchResult(versions=qs, facets=facets, query=q, total=total)


# --- lookups by id: what a page or an API view may fetch (portal.visibility.visible_or_404 over these) ---
def versions_visible_to(user, entry: ResourceEntry) -> QuerySet:
    """The versions of `entry` the user may open: all for its department and the bureau, else the
    published ones and those they replaced (drafts, submissions and returned versions stay inside)."""
    versions = entry.versions.all()
    if may_see_working(user, entry):
        return versions
    return versions.exclude(
        status__in=[EntryVersion.Status.DRAFT, EntryVersion.Status.SUBMITTED, EntryVersion.Status.RETURNED]
    )


def _maintained_departments(user) -> QuerySet:
    return filter_allowed(user, "portal.maintain_catalog", Department.objects.all())


def loads_visible_to(user) -> QuerySet:
    """Data loads the user may see: those of the departments whose catalog they maintain; every one
    for whoever may see every department's rows (the bureau)."""
    loads = DataLoad.objects.select_related("entry__department")
    if can(user, "catalog.view_all_rows"):
        return loads
    return loads.filter(entry__department__in=_maintained_departments(user))


def imports_visible_to(user) -> QuerySet:
    """Catalog imports the user may see: their own, and those of the departments whose catalog they maintain."""
    imports = CatalogImport.objects.select_related("department")
    if not getattr(user, "is_authenticated", False):
        return imports.none()
    return imports.filter(Q(created_by_id=user.pk) | Q(department__in=_maintained_departments(user)))


def duties_visible_to(user) -> QuerySet:
    """Update duties the user may see: every one for the bureau (catalog.view_dutychange), else their department's."""
    duties = UpdateDuty.objects.select_related("entry", "entry__department", "entry__published_version", "change")
    if can(user, "catalog.view_dutychange"):
        return duties
    return duties.filter(entry__department_id=_department_id(user)) if _department_id(user) else duties.none()


# --- reads of the catalog's tables for the other apps (sharing, openness): they query the catalog
# through these, never its models' managers, so that what an entry "published", "withdrawn" or
# "sensitive" means is written once, here -------------------------------------------------------
def entry_by_pk(pk) -> ResourceEntry | None:
    """A resource by id in any state, or None: for a service that decides itself what the actor may do
    with it (an application, a coordination, an open-data proposal)."""
    return ResourceEntry.objects.filter(pk=pk).first()


def entries_by_pk() -> QuerySet:
    """Every resource, for an API field naming one by id (the service called with it checks the actor)."""
    return ResourceEntry.objects.all()


def entry_with_version(pk) -> ResourceEntry:
    """The resource with its department and published version (ResourceEntry.DoesNotExist if none)."""
    return ResourceEntry.objects.select_related("department", "published_version").get(pk=pk)


def published_entries() -> QuerySet:
    """Resources with a published version, not withdrawn, with that version and their department."""
    return ResourceEntry.objects.filter(published_version__isnull=False, withdrawn_at__isnull=True).select_related(
        "published_version", "department"
    )


def published_entry(*, department_code: str, name: str) -> ResourceEntry:
    """The published resource of a department by its version's name (the demo data's references)."""
    return published_entries().get(department__code=department_code, published_version__name=name)


def shareable_entries() -> QuerySet:
    """Published resources that may be shared at all (not 不予共享, Lhasa art. 8(3)), by code."""
    return published_entries().exclude(published_version__share_type=ShareType.NOT_SHARED).order_by("code")


def entries_of_department(department_id) -> QuerySet:
    """A department's resources (its own pages' lookups; visible_or_404 answers 404 for the others)."""
    return ResourceEntry.objects.select_related("published_version", "department").filter(department_id=department_id)


def openable_entries(department_id) -> QuerySet:
    """A department's published resources whose open type allows opening (Tongren art. 29), by code."""
    return (
        published_entries()
        .filter(department_id=department_id)
        .exclude(published_version__open_type=OpenType.NOT_OPEN)
        .order_by("code")
    )


def not_open_versions(*, q: str = "") -> QuerySet:
    """The published versions not open to the public, of resources not withdrawn, by department and code,
    matching the search words q (the public negative list, Tongren art. 29; Hechi art. 32-33)."""
    qs = (
        EntryVersion.objects.filter(
            status=EntryVersion.Status.PUBLISHED, open_type=OpenType.NOT_OPEN, entry__withdrawn_at__isnull=True
        )
        .select_related("entry__department")
        .order_by("entry__department__name", "entry__code")
    )
    expression = search.tsquery(q)
    if expression:
        qs = qs.filter(search_vector=SearchQuery(expression, search_type="raw", config="simple"))
    return qs


def sensitive_item_keys(version_id) -> QuerySet:
    """Keys of a version's items ticked 敏感 or graded at PROTECTION_SENSITIVE_LEVEL or above (Sixian
    art. 39: 分级 protection, protection.grading.services.is_sensitive)."""
    # order_by(): the items' default ordering joins their version only to sort a set
    return (
        DataItem.objects.filter(sensitive_item_filter(), version_id=version_id).order_by().values_list("key", flat=True)
    )


def published_for_export(user):
    """Published versions the user can list, each with whether they may see its details (the export)."""
    qs = (
        versions_searchable_by(user)
        .filter(status=EntryVersion.Status.PUBLISHED)
        .select_related("entry__department")
        .prefetch_related("items")
        .order_by("entry__code")
    )
    for version in qs.iterator(chunk_size=500):
        details = version.share_type != ShareType.NOT_SHARED or may_see_working(user, version.entry)
        yield version, details
