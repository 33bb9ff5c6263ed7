"""Downloads and API calls of open datasets: the audit entry and the count (docs/features.md O4, A1).

Lhasa art. 41: every operation is audited — downloads by anonymous visitors record their
address (the audit entry point takes it from the request). Counting appends one UsageEvent row
(no lock on the dataset row per download); flush_usage() sums them into the datasets' counters.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Outcome
from audit.services import record
from openness import selectors
from openness.models import Dataset, DatasetVersion, UsageEvent
from portal import suspensions
from portal.errors import DomainError, NotFoundError, PermissionDeniedError

FORMATS = ("csv", "json", "xlsx")


class DatasetWithdrawnError(DomainError):
    status_code = 410
    default_message = gettext_lazy("该数据集已撤回，不再提供下载。")
    default_code = "withdrawn"


class ApplicationRequiredError(PermissionDeniedError):
    default_message = gettext_lazy("该版本依申请开放：请登录后提出申请，获得数据提供部门同意后即可下载。")
    default_code = "application_required"


class NotOpenError(PermissionDeniedError):
    default_message = gettext_lazy("该数据集的资源目录已调整为不予开放，不再向公众提供数据。")
    default_code = "not_open"


class VersionNotFoundError(NotFoundError):
    default_message = gettext_lazy("该版本不存在或尚未发布。")
    default_code = "not_found"


class NotDownloadableError(DomainError):
    default_message = gettext_lazy("该版本没有可下载的数据。")
    default_code = "not_downloadable"


# read_refusal()'s codes, as the errors every read path answers with (a Chinese reason each)
REFUSALS = {
    selectors.REFUSAL_WITHDRAWN: DatasetWithdrawnError,
    selectors.REFUSAL_APPLICATION: ApplicationRequiredError,
    selectors.REFUSAL_NOT_OPEN: NotOpenError,
    selectors.REFUSAL_NOT_PUBLISHED: VersionNotFoundError,
    selectors.REFUSAL_NO_ROWS: NotDownloadableError,
}


def read_problem(actor, version: DatasetVersion) -> DomainError | None:
    """The error answering a read of the version's rows that the rule refuses, or None."""
    reason = selectors.read_refusal(actor, version)
    return REFUSALS[reason]() if reason else None


@dataclass(frozen=True)
class Refusal:
    """Why a page shows no rows of a version: the refusal's code and its Chinese message (a page
    that still answers 200 shows it instead of the rows; it raises nothing)."""

    code: str
    message: str


def read_notice(actor, version: DatasetVersion) -> Refusal | None:
    reason = selectors.read_refusal(actor, version)
    return Refusal(reason, str(REFUSALS[reason].default_message)) if reason else None


def download_start(*, actor, dataset: Dataset, version: DatasetVersion, fmt: str, channel: str = "web") -> None:
    """Check the visitor may download this version (依申请开放 needs an approved application), then
    record the download and count it. A refusal is recorded too, then raised."""
    if fmt not in FORMATS:
        raise DomainError(_("不支持的下载格式。"), code="bad_format")
    detail = {
        "dataset": dataset.pk,
        "version": version.number,
        "format": fmt,
        "channel": channel,
        "rows": version.row_count,
    }
    problem = read_problem(actor, version)
    held = suspensions.suspended(suspensions.DATASET_DOWNLOADS, dataset_id=dataset.pk) if problem is None else None
    if held:  # a containment action of an incident (Tongren art. 36: stop the harm spreading)
        problem = PermissionDeniedError(held, code="downloads_suspended")
    if problem is not None:
        record(
            "openness.download",
            actor=actor,
            target=dataset,
            outcome=Outcome.DENIED,
            detail={**detail, "reason": problem.code},
        )
        raise problem
    with transaction.atomic():
        record("openness.download", actor=actor, target=dataset, detail=detail)
        UsageEvent.objects.create(
            dataset=dataset, version_number=version.number, kind=UsageEvent.Kind.DOWNLOAD, fmt=fmt
        )


def api_call(
    *, actor, dataset: Dataset | None, endpoint: str, outcome: str = Outcome.SUCCESS, detail: dict | None = None
) -> None:
    """Audit one call of the public API; a successful call on a dataset is counted for it."""
    with transaction.atomic():
        target = dataset if dataset is not None else ("openness.api", endpoint)
        record(
            "openness.api.call",
            actor=actor,
            target=target,
            outcome=outcome,
            detail={"endpoint": endpoint, **(detail or {})},
        )
        if dataset is not None and outcome == Outcome.SUCCESS:
            UsageEvent.objects.create(dataset=dataset, kind=UsageEvent.Kind.API_CALL)


_FLUSH = """
WITH moved AS (
    DELETE FROM openness_usageevent
    WHERE id IN (SELECT id FROM openness_usageevent ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED)
    RETURNING dataset_id, kind
), totals AS (
    SELECT dataset_id,
           count(*) FILTER (WHERE kind = 'download') AS downloads,
           count(*) FILTER (WHERE kind = 'api') AS calls
    FROM moved GROUP BY dataset_id
), updated AS (
    UPDATE openness_dataset AS d
    SET download_count = d.download_count + totals.downloads, api_call_count = d.api_call_count + totals.calls
    FROM totals WHERE d.id = totals.dataset_id
    RETURNING d.id
)
SELECT coalesce(sum(downloads + calls), 0), (SELECT count(*) FROM updated) FROM totals
"""


def flush_usage(*, batch: int = 50_000) -> int:
    """Add the recorded downloads and calls to the datasets' counters; returns the events counted.
    Each batch is one statement: the events it deletes are the ones it adds, so two runs at once
    never count an event twice (SKIP LOCKED) and a failed run counts nothing."""
    total = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_FLUSH, [batch])
            events, _datasets = cursor.fetchone()
        total += int(events)
        if events < batch:
            return total


def rows_shown(*, actor, version: DatasetVersion, rows: int, page: str) -> None:
    """Lhasa art. 41: a page showing rows of a version is audited like a download (SECURITY.md 14.2: the
    review page's 20 rows were read by anybody, unrecorded). page: "dataset" or "review"."""
    record(
        "openness.preview",
        actor=actor,
        target=version,
        detail={
            "dataset": version.dataset_id,
            "version": version.number,
            "status": version.status,
            "rows": rows,
            "page": page,
        },
    )
