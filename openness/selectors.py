"""Reads of the open-data app, already filtered by what the caller may see (docs/features.md O1, O3).

- everybody, signed in or not, sees published datasets (and withdrawn ones, with their notice);
- rows: read_refusal() below, one rule for every path that serves them, with its table;
- versions' review pages (proposals, and published ones with their rows) for their department and
  the bureau.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from catalog import selectors as catalog_selectors
from catalog.models import OpenType, ResourceEntry
from openness import search as open_search
from openness.models import ApiKey, Application, Dataset, DatasetVersion, OpenKind
from portal.models import Department
from portal.permissions import can, filter_allowed

PUBLISH = "portal.publish_open_data"
REVIEW = "openness.review_datasetversion"
VIEW_ALL = "openness.view_all_datasets"
REREVIEW = "openness.rereview_application"

FACETS = ["department", "theme", "data_format", "open_type", "update_frequency"]
NEWEST = ["-last_published_at", "-id"]
SORTS = {
    "relevance": None,  # by rank, when there is a search expression (else newest)
    "newest": NEWEST,
    "downloads": ["-download_count", "-last_published_at", "-id"],
    "name": ["published_version__title", "id"],
}


def public_datasets() -> QuerySet:
    """Published datasets that are not withdrawn."""
    return Dataset.objects.filter(published_version__isnull=False, withdrawn_at__isnull=True).select_related(
        "published_version", "department"
    )


def dataset_public(pk) -> Dataset | None:
    """A dataset that was published (withdrawn ones too: their page carries the notice)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    dataset = (
        Dataset.objects.filter(pk=pk, published_version__isnull=False)
        .select_related("published_version", "department", "entry__published_version")
        .first()
    )
    if dataset is not None and dataset.published_version is not None:
        dataset.published_version.dataset = dataset  # read_refusal() looks at the dataset of the version
    return dataset


@dataclass
class SearchResult:
    datasets: QuerySet
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    query: str = ""
    notes: open_search.SearchNotes = field(default_factory=open_search.SearchNotes)


def search_datasets(
    *, q: str = "", filters: dict | None = None, sort: str = "relevance", with_facets: bool = True
) -> SearchResult:
    """Search over titles (bigrams and pinyin), summaries, themes, item names and departments, with
    the bureau's synonyms, an OR fallback and suggestions (openness.search), and facets."""
    qs = public_datasets()
    for name, value in (filters or {}).items():
        if not value:
            continue
        if name == "department":
            qs = qs.filter(department_id=value)
        elif name == "data_format":
            qs = open_search.filter_format(qs, value)
        elif name in FACETS:
            # psycopg2 refuses a NUL in a literal (the fuzzer's ?theme=%00 answered 500); U+FFFD
            # matches no stored value either
            qs = qs.filter(**{f"published_version__{name}": str(value).replace("\x00", "\ufffd")})
    qs, notes = open_search.match(qs, q)
    if sort == "relevance" and notes.mode:
        qs = qs.order_by("-rank", "-last_published_at", "-id")
    else:
        qs = qs.order_by(*(SORTS.get(sort) or NEWEST))
    facets = {}
    if with_facets:
        for facet in FACETS:
            if facet == "data_format":
                facets[facet] = open_search.format_facet(qs)
                continue
            column = "department" if facet == "department" else f"published_version__{facet}"
            rows = qs.order_by().values(column).annotate(n=Count("id")).order_by("-n")[:30]
            facets[facet] = [(row[column], row["n"]) for row in rows if row[column] not in (None, "")]
    return SearchResult(datasets=qs, facets=facets, query=q, notes=notes)


def history(dataset: Dataset) -> QuerySet:
    """The published versions of a dataset, newest first (superseded ones stay downloadable)."""
    return dataset.versions.exclude(number=None).order_by("-number")


def version_public(dataset: Dataset, number) -> DatasetVersion | None:
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    return dataset.versions.filter(number=number).first()


def has_approved_application(user, dataset: Dataset) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Application.objects.filter(
        dataset=dataset, applicant=user, status=Application.Status.APPROVED, expires_at__gt=timezone.now()
    ).exists()


def may_manage(user, dataset: Dataset) -> bool:
    return can(user, PUBLISH, dataset.department)


# The one rule of every read of a version's rows (SECURITY.md 14.1, 14.2): the dataset page's preview,
# web downloads in every format (current and /v<n>/), API-key downloads, API rows (?version=) and
# the review page (/open/versions/<id>/) all ask read_refusal() about the version they serve — not
# about the dataset's current version (a superseded 依申请开放 v1 was downloadable by anyone once
# v2 was 无条件开放).
#
#   version (served)                          anonymous, public, other   approved    providing dept's   bureau
#                                             departments, auditor       applicant   data officer       reviewer
#   not yet published (submitted)             -                          -           +                  +
#   returned, no rows                         -                          -           -                  -
#   withdrawn dataset (every version)         -                          -           -                  -
#   published/superseded, 无条件开放           +                          +           +                  +
#   published/superseded, 依申请开放           -                          +           +                  +
#   published/superseded, 不予开放             -                          -           +                  +
#
# "Approved applicant": an approved application for the dataset, not expired (it covers all of its
# versions). The open type served is the version's own or, for a dataset published from a catalog
# resource, the resource's current one if that is stricter: a resource re-catalogued 依申请开放 or
# 不予开放 stops serving its older, more open versions (Tongren art. 29, Hechi art. 32-33).
STRICTNESS: dict[str, int] = {OpenType.UNCONDITIONAL: 0, OpenType.ON_APPLICATION: 1, OpenType.NOT_OPEN: 2}
REFUSAL_NOT_PUBLISHED = "not_published"
REFUSAL_NO_ROWS = "not_downloadable"
REFUSAL_WITHDRAWN = "withdrawn"
REFUSAL_APPLICATION = "application_required"
REFUSAL_NOT_OPEN = "not_open"


def may_review(user, dataset: Dataset) -> bool:
    """The providing department's data officers and the bureau: they see every version, rows included."""
    return can(user, VIEW_ALL) or may_manage(user, dataset)


def _stricter(kind: str, dataset: Dataset) -> str:
    entry = dataset.entry if dataset.entry_id else None
    catalog = entry.published_version if entry is not None else None
    if catalog is not None and STRICTNESS.get(catalog.open_type, 2) > STRICTNESS.get(kind, 2):
        return catalog.open_type
    return kind


def served_open_type(version: DatasetVersion) -> str:
    """The open type a published version is served under (see the table above)."""
    return _stricter(version.open_type, version.dataset)


def read_refusal(user, version: DatasetVersion) -> str | None:
    """Why `user` may not read the rows of `version` (a REFUSAL_* code), or None: they may."""
    dataset = version.dataset
    if dataset.is_withdrawn or version.status == DatasetVersion.Status.WITHDRAWN:
        return REFUSAL_WITHDRAWN  # Hechi art. 29: a withdrawal withdraws every version
    if version.status == DatasetVersion.Status.SUBMITTED:
        # Lhasa art. 29: the bureau reviews the masked rows before anybody else sees them
        return None if version.table_name and may_review(user, dataset) else REFUSAL_NOT_PUBLISHED
    if not version.is_downloadable:
        return REFUSAL_NO_ROWS
    kind = served_open_type(version)
    if kind == OpenType.UNCONDITIONAL or may_review(user, dataset):
        return None
    if kind == OpenType.NOT_OPEN:
        return REFUSAL_NOT_OPEN
    # Lhasa art. 30: 依申请开放 data after an approved application
    return None if has_approved_application(user, dataset) else REFUSAL_APPLICATION


def accepts_applications(dataset: Dataset) -> bool:
    """Applications are taken while the current version is served 依申请开放 (not once it is 不予开放)."""
    version = dataset.published_version
    return (
        version is not None
        and not dataset.is_withdrawn
        and version.open_type == OpenKind.ON_APPLICATION
        and _stricter(version.open_type, dataset) == OpenKind.ON_APPLICATION
    )


def may_read_version(user, version: DatasetVersion) -> bool:
    return read_refusal(user, version) is None


def may_see_version(user, version: DatasetVersion) -> bool:
    """The review page of a version (/open/versions/<id>/): its department and the bureau only
    (SECURITY.md 14.2: any signed-in user saw 20 rows of any published or superseded version)."""
    return may_review(user, version.dataset)


def datasets_managed_by(user) -> QuerySet:
    """The datasets of the user's department (with a version in any state)."""
    if not user.is_authenticated or not user.department_id or not can(user, PUBLISH, user.department):
        return Dataset.objects.none()
    return (
        Dataset.objects.filter(department_id=user.department_id)
        .select_related("published_version", "department")
        .order_by("-created_at")
    )


def proposals_of(user) -> QuerySet:
    """Versions of the user's department that are waiting or were returned."""
    if not user.is_authenticated or not user.department_id or not can(user, PUBLISH, user.department):
        return DatasetVersion.objects.none()
    return (
        DatasetVersion.objects.filter(
            dataset__department_id=user.department_id,
            status__in=[DatasetVersion.Status.SUBMITTED, DatasetVersion.Status.RETURNED],
        )
        .select_related("dataset", "proposed_by")
        .order_by("-proposed_at")
    )


def review_queue(user) -> QuerySet:
    if not can(user, REVIEW):
        return DatasetVersion.objects.none()
    return (
        DatasetVersion.objects.filter(status=DatasetVersion.Status.SUBMITTED)
        .select_related("dataset__department", "proposed_by")
        .order_by("proposed_at")
    )


def entries_to_open(user) -> list[tuple[ResourceEntry, object]]:
    """Catalog resources of the user's department that may be opened, with their latest load."""
    from catalog.services.loads import latest_load

    if not user.is_authenticated or not user.department_id or not can(user, PUBLISH, user.department):
        return []
    entries = catalog_selectors.openable_entries(user.department_id)
    return [(entry, latest_load(entry)) for entry in entries]


def applications_for(user) -> QuerySet:
    """Applications the user made, answers (data officers) or re-reviews (bureau reviewers)."""
    if not user.is_authenticated:
        return Application.objects.none()
    mine = Q(applicant=user)
    if user.department_id and can(user, PUBLISH, user.department):
        mine |= Q(dataset__department_id=user.department_id)
    if can(user, REREVIEW):
        mine |= Q(rereview_requested_at__isnull=False)
    return (
        Application.objects.filter(mine)
        .select_related("dataset__published_version", "dataset__department", "applicant")
        .order_by("-submitted_at")
    )


def may_see_application(user, application: Application) -> bool:
    return (
        application.applicant_id == user.pk
        or can(user, PUBLISH, application.dataset.department)
        or (can(user, REREVIEW) and application.rereview_requested_at is not None)
    )


def keys_of(user) -> QuerySet:
    return ApiKey.objects.filter(user=user).order_by("revoked_at", "-created_at")


def negative_list(*, q: str = "") -> QuerySet:
    """The public negative list (Tongren art. 29; Hechi art. 32-33): catalog entries not open to the
    public, with the basis for it. Only what the law says to publish: name, code, department, basis.

    Reads the catalog's published versions through its selector."""
    return catalog_selectors.not_open_versions(q=q)


def withdrawn_notices() -> QuerySet:
    return (
        Dataset.objects.filter(withdrawn_at__isnull=False, published_version__isnull=False)
        .select_related("published_version", "department")
        .order_by("-withdrawn_at")
    )


def landing_summary(*, newest: int = 6, popular: int = 6) -> dict:
    """Counts and lists of the public landing page."""
    datasets = public_datasets()
    totals = datasets.aggregate(
        rows=Sum("published_version__row_count"),
        downloads=Sum("download_count"),
        calls=Sum("api_call_count"),
        departments=Count("department", distinct=True),
    )
    return {
        "dataset_count": datasets.count(),
        "department_count": totals["departments"] or 0,
        "row_count": totals["rows"] or 0,
        "download_count": totals["downloads"] or 0,
        "api_call_count": totals["calls"] or 0,
        "stale_count": datasets.filter(stale_since__isnull=False).count(),
        "negative_count": negative_list().count(),
        "newest": list(datasets.order_by("-last_published_at", "-id")[:newest]),
        "popular": list(datasets.order_by("-download_count", "-last_published_at", "-id")[:popular]),
        "withdrawn": list(withdrawn_notices()[:3]),
    }


def versions_reviewable_by(user) -> QuerySet:
    """The versions whose review page (/open/versions/<id>/) the user may open: may_see_version as a
    queryset (the bureau: all; a data officer: their department's)."""
    versions = DatasetVersion.objects.select_related(
        "dataset__department", "dataset__entry__published_version", "proposed_by", "reviewed_by"
    )
    if can(user, VIEW_ALL):
        return versions
    return versions.filter(dataset__department__in=filter_allowed(user, PUBLISH, Department.objects.all()))
