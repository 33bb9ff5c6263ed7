"""Publishing open datasets (docs/features.md O2, O5, O6).

Lhasa art. 29: a department proposes a dataset — from its catalog resource's loaded rows or from a
file it uploads — and the bureau reviews every publication. Seed 004 §10, Tongren art. 29, Hechi
art. 32: sensitive data is opened only after masking. A proposal therefore materialises its
masked rows at once into a datastore table of its own (CREATE TABLE ... AS SELECT <masked
expressions>, masking applied once, in SQL), and the detector reads that table: while any
personal data is left unmasked the proposal is refused, naming the item and an example row.
The reviewer sees exactly the rows that will be published; approval publishes them and later
catalog loads never change a published version. Re-publishing makes a new version; the one it
replaces stays downloadable, superseded. Withdrawal needs a reason and leaves a public notice
(Hechi art. 29; Lhasa art. 37).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Outcome
from audit.services import record
from catalog import datastore, search
from catalog import selectors as catalog_selectors
from catalog.datastore import detector, masking
from catalog.models import DataFormat, OpenType, ResourceEntry, UpdateFrequency
from catalog.services import loads
from openness import transitions
from openness.models import Dataset, DatasetVersion, OpenKind, Upload
from openness.services import freshness
from portal.errors import DomainError, InvalidTransitionError, PermissionDeniedError
from portal.permissions import can, require
from portal.roles import Role
from portal.selectors import users_with_role
from portal.services.notifications import notify
from protection.grading import rules as grading_rules

PUBLISH = "portal.publish_open_data"
REVIEW = "openness.review_datasetversion"
V = DatasetVersion.Status


class MaskingRefused(DomainError):
    """The masking check found personal data left unmasked: the proposal is refused."""

    default_code = "unmasked_personal_data"

    def __init__(self, report: detector.ScanReport):
        self.report = report
        messages = [finding.message for finding in report.findings]
        super().__init__(messages[0], errors={"items": messages})


def _invalid(field: str, message: str):
    return DomainError(message, code="invalid_proposal", errors={field: [message]})


# ---------------------------------------------------------------------------------------------
# what a proposal is made of


def source_of_entry(entry: ResourceEntry):
    """(load, columns, sensitive keys) of a catalog resource's latest loaded rows, or a DomainError."""
    if entry.published_version is None or entry.is_withdrawn:
        raise _invalid("entry", _("只有已发布且未撤销的目录资源可以开放。"))
    if entry.published_version.open_type == OpenType.NOT_OPEN:
        raise _invalid("entry", _("该资源的开放类型为不予开放，只列入负面清单，不能发布为开放数据。"))
    load = loads.latest_load(entry)
    if load is None:
        raise _invalid("entry", _("该资源还没有归集数据，请先归集数据再发布。"))
    columns = [datastore.Column(**c) for c in load.columns]
    # Tongren art. 29 and the grades (docs/grading.md): an item ticked 敏感 or graded above the open
    # level (default 1 公开) is opened only masked; the published version's grades count.
    sensitive = {item.key for item in graded_items(entry, load) if item.sensitive or not grading_rules.may_open(item)}
    return load, columns, sensitive


def graded_items(entry: ResourceEntry, load) -> list:
    """The items of the entry's published version, and those of the load's version it no longer has."""
    published = entry.published_version
    assert published is not None  # only a published entry's data is opened
    items = {item.key: item for item in load.entry_version.items.all()}
    items.update({item.key: item for item in published.items.all()})
    return list(items.values())


def _check_grades(entry: ResourceEntry, load, plan) -> None:
    chosen = {column.key for column, _rule in plan}
    refusal = grading_rules.open_refusal([i for i in graded_items(entry, load) if i.key in chosen])
    if refusal:
        raise _invalid("items", refusal)


def build_plan(columns: list[datastore.Column], choices: list[dict], sensitive: set[str]):
    """[(column, rule)] for the chosen items, in the source's order; DomainError for a bad choice.

    choices: [{"key", "rule", "first", "last"}] for the items to publish. Items flagged sensitive
    in the catalog must be masked (docs/features.md O5)."""
    by_key = {c.key: c for c in columns}
    chosen: dict[str, masking.Rule] = {}
    for choice in choices or []:
        key = str(choice.get("key") or "")
        if key not in by_key:
            raise _invalid("items", _("信息项「%(k)s」不在数据来源中。") % {"k": key[:64]})
        if key in chosen:
            raise _invalid("items", _("信息项「%(k)s」重复。") % {"k": key})
        rule = masking.Rule.from_dict(choice)
        try:
            rule.check(by_key[key])
        except ValueError as exc:
            raise _invalid("items", str(exc)) from None
        if key in sensitive and not rule.masks:
            raise _invalid("items", _("信息项「%(n)s」为敏感信息项，必须选择脱敏规则。") % {"n": by_key[key].name})
        chosen[key] = rule
    if not chosen:
        raise _invalid("items", _("请至少选择一个要开放的信息项。"))
    return [(c, chosen[c.key]) for c in columns if c.key in chosen]


def _metadata(data: dict, *, open_type: str | None, defaults: dict) -> dict:
    meta = {**defaults, **{k: v for k, v in (data or {}).items() if v not in (None,)}}
    title = str(meta.get("title") or "").strip()
    summary = str(meta.get("summary") or "").strip()
    if not title:
        raise _invalid("title", _("请填写数据集名称。"))
    if len(title) > 200:
        raise _invalid("title", _("数据集名称不能超过 200 个字。"))
    if not summary:
        raise _invalid("summary", _("请填写数据集摘要。"))
    frequency = meta.get("update_frequency")
    if frequency not in UpdateFrequency.values:
        raise _invalid("update_frequency", _("请选择更新周期。"))
    kind = open_type or meta.get("open_type")
    if kind not in OpenKind.values:
        raise _invalid("open_type", _("开放类型只能是无条件开放或依申请开放。"))
    condition = str(meta.get("open_condition") or "").strip()
    # Tongren art. 29, Hechi art. 32: restricted opening publishes its conditions and basis.
    if kind == OpenKind.ON_APPLICATION and not condition:
        raise _invalid("open_condition", _("依申请开放的数据集必须写明开放条件或依据。"))
    data_format = meta.get("data_format") or DataFormat.DATABASE
    if data_format not in DataFormat.values:
        data_format = DataFormat.OTHER
    return {
        "title": title,
        "summary": summary,
        "theme": str(meta.get("theme") or "").strip()[:50],
        "update_frequency": frequency,
        "open_type": kind,
        "open_condition": condition,
        "data_format": data_format,
        "change_note": str(meta.get("change_note") or "").strip()[:500],
    }


def entry_defaults(entry: ResourceEntry) -> dict:
    version = entry.published_version
    assert version is not None  # only a published entry's data is opened
    return {
        "title": version.name,
        "summary": version.summary,
        "theme": version.theme,
        "update_frequency": version.update_frequency,
        "open_condition": version.open_condition,
        "data_format": version.data_format,
    }


# ---------------------------------------------------------------------------------------------
# services


def version_propose(
    *,
    actor,
    metadata: dict,
    items: list[dict],
    entry: ResourceEntry | None = None,
    upload: Upload | None = None,
    dataset: Dataset | None = None,
) -> DatasetVersion:
    """Propose a dataset (or its next version) for publication: masked rows materialised, masking
    check run, sent to the bureau. A refused check is recorded as a failed proposal."""
    try:
        return _propose(actor=actor, metadata=metadata, items=items, entry=entry, upload=upload, dataset=dataset)
    except MaskingRefused as refused:
        owner = entry or upload or dataset
        department = owner.department if owner is not None else None
        record(
            "openness.version.propose",
            actor=actor,
            outcome=Outcome.FAILURE,
            target=("openness.dataset", dataset.pk if dataset else "", str(metadata.get("title") or "")[:200]),
            detail={
                "reason": "unmasked_personal_data",
                "findings": [f.as_dict() for f in refused.report.findings],
                "provider_department_id": department.pk if department else None,
            },
        )
        raise


@transaction.atomic
def _propose(*, actor, metadata, items, entry, upload, dataset) -> DatasetVersion:
    if dataset is not None:
        # SECURITY.md 14.10: lock the dataset row only (of=self): its catalog entry is a nullable foreign
        # key, and FOR UPDATE cannot lock the nullable side of the outer join (it answered 500).
        dataset = Dataset.objects.select_for_update(of=("self",)).select_related("entry").get(pk=dataset.pk)
        if dataset.is_withdrawn:
            raise InvalidTransitionError(_("已撤回的数据集不能再发布新版本。"))
        if entry is None and upload is None and dataset.entry_id is not None:
            entry = dataset.entry  # a catalog dataset's next version comes from its own resource
    if (entry is None) == (upload is None):
        raise _invalid("source", _("请选择一个数据来源：目录资源的归集数据或上传的文件。"))
    if entry is not None:
        entry = catalog_selectors.entry_with_version(entry.pk)
        department = entry.department
        require(actor, PUBLISH, department)
        load, columns, sensitive = source_of_entry(entry)
        if dataset is None:
            dataset = Dataset.objects.select_for_update().filter(entry=entry).first()
        elif dataset.entry_id != entry.pk:
            raise _invalid("source", _("该数据集来自另一个目录资源。"))
        if dataset is not None and dataset.is_withdrawn:
            raise InvalidTransitionError(_("已撤回的数据集不能再发布新版本。"))
        meta = _metadata(metadata, open_type=entry.published_version.open_type, defaults=entry_defaults(entry))
        source = {"source": DatasetVersion.Source.CATALOG, "source_load": load, "source_table": load.table_name}
    else:
        upload = Upload.objects.select_related("department").get(pk=upload.pk)
        department = upload.department
        require(actor, PUBLISH, department)
        if dataset is not None and (dataset.entry_id is not None or dataset.department_id != department.pk):
            raise _invalid("source", _("只能用本部门上传的文件更新上传的数据集。"))
        columns, sensitive = [datastore.Column(**c) for c in upload.columns], set()
        meta = _metadata(metadata, open_type=None, defaults={"data_format": DataFormat.SPREADSHEET})
        source = {"source": DatasetVersion.Source.UPLOAD, "source_upload": upload, "source_table": upload.table_name}
    plan = build_plan(columns, items, sensitive)
    if entry is not None:
        _check_grades(entry, load, plan)
    if dataset is None:
        dataset = Dataset.objects.create(department=department, entry=entry, created_by=actor)
    if dataset.versions.filter(status=V.SUBMITTED).exists():
        raise InvalidTransitionError(_("该数据集已有待审核的版本，请等待审核结果。"))

    version = DatasetVersion.objects.create(
        dataset=dataset,
        proposed_by=actor,
        **meta,
        **source,
        items=[
            {"key": c.key, "name": c.name, "type": c.type, "sensitive": c.key in sensitive, **r.as_dict()}
            for c, r in plan
        ],
        columns=[masking.masked_column(c, r).__dict__ for c, r in plan],
    )
    version.table_name = f"od_{version.pk}"
    version.row_count = masking.create_masked_table(
        source=version.source_table, target=version.table_name, plan=plan, salt=dataset.hash_salt
    )
    unreadable = {c.key for c, r in plan if r.kind in (masking.HIDE, masking.HASH)}
    report = detector.scan(version.table_name, version.datastore_columns, skip=unreadable)
    if not report.clean:
        raise MaskingRefused(report)  # the transaction rolls back: no version, no table
    version.check_report = report.as_dict()
    version.save(update_fields=["table_name", "row_count", "check_report"])
    record(
        "openness.version.propose",
        actor=actor,
        target=version,
        detail={
            "dataset": dataset.pk,
            "source": version.source,
            "source_table": version.source_table,
            "rows": version.row_count,
            "items": [{"key": i["key"], "rule": i["rule"]} for i in version.items],
        },
    )
    notify(
        users=users_with_role(Role.BUREAU_REVIEWER),
        kind="openness.review_waiting",
        key=f"openness.review_waiting:{version.pk}",
        title=_("开放数据待审核：%(t)s") % {"t": version.title},
        url=reverse("openness:version", args=[version.pk]),
    )
    return version


def _locked_version(version: DatasetVersion) -> DatasetVersion:
    version = DatasetVersion.objects.select_for_update().get(pk=version.pk)
    version.dataset = Dataset.objects.select_for_update().select_related("department").get(pk=version.dataset_id)
    return version


@transaction.atomic
def version_approve(*, actor, version: DatasetVersion, comment: str = "") -> DatasetVersion:
    """Lhasa art. 29: the bureau's approval publishes the version; the one it replaces stays, superseded."""
    version = _locked_version(version)
    dataset = version.dataset
    require(actor, REVIEW, version)
    if version.proposed_by_id == actor.pk:
        raise PermissionDeniedError(_("不能审核自己提出的发布（职责分离）。"))
    transitions.move(version, "approve")
    now = timezone.now()
    previous = dataset.published_version
    if previous is not None:
        previous = DatasetVersion.objects.select_for_update().get(pk=previous.pk)
        transitions.move(previous, "supersede")
        transitions.save(previous)
    numbers = dataset.versions.exclude(number=None).values_list("number", flat=True)
    version.number = max((n for n in numbers if n is not None), default=0) + 1
    version.reviewed_by, version.reviewed_at, version.review_comment = actor, now, (comment or "").strip()
    version.published_at = now
    transitions.save(version, ["number", "reviewed_by", "reviewed_at", "review_comment", "published_at"])
    dataset.published_version = version
    dataset.first_published_at = dataset.first_published_at or now
    dataset.last_published_at = now
    dataset.update_due_at = freshness.update_due(now, version.update_frequency)
    dataset.stale_since = None
    dataset.save(
        update_fields=["published_version", "first_published_at", "last_published_at", "update_due_at", "stale_since"]
    )
    refresh_search_vector(dataset)
    record(
        "openness.version.approve",
        actor=actor,
        target=version,
        detail={
            "dataset": dataset.pk,
            "number": version.number,
            "rows": version.row_count,
            "superseded": previous.number if previous else None,
        },
    )
    _notify_department(version, "openness.published", _("开放数据已发布：%(t)s") % {"t": version.title})
    return version


@transaction.atomic
def version_return(*, actor, version: DatasetVersion, reasons: str) -> DatasetVersion:
    """The bureau returns a proposal with its reasons; its masked table is dropped (never published)."""
    version = _locked_version(version)
    require(actor, REVIEW, version)
    reasons = (reasons or "").strip()
    if not reasons:
        raise _invalid("reasons", _("退回时必须填写退回原因。"))
    return _return(version, actor=actor, reasons=reasons)


def _return(version: DatasetVersion, *, actor, reasons: str, detail: dict | None = None) -> DatasetVersion:
    """Return a locked proposal and drop its masked table; the caller checked who may."""
    transitions.move(version, "return")
    version.reviewed_by, version.reviewed_at, version.review_comment = actor, timezone.now(), reasons
    if version.table_name:
        datastore.drop_table(version.table_name)
    version.table_name = ""
    transitions.save(version, ["reviewed_by", "reviewed_at", "review_comment", "table_name"])
    record(
        "openness.version.return",
        actor=actor,
        target=version,
        detail={"dataset": version.dataset_id, "reasons": reasons, **(detail or {})},
    )
    _notify_department(
        version, "openness.returned", _("开放数据发布被退回：%(t)s") % {"t": version.title}, body=reasons
    )
    return version


@transaction.atomic
def dataset_withdraw(*, actor, dataset: Dataset, reason: str) -> Dataset:
    """Hechi art. 29, Lhasa art. 37: a withdrawal states its reason and stays announced publicly."""
    dataset = Dataset.objects.select_for_update().select_related("department").get(pk=dataset.pk)
    if not (can(actor, PUBLISH, dataset.department) or can(actor, REVIEW)):
        raise PermissionDeniedError()
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", _("撤回数据集必须填写原因。"))
    if dataset.is_withdrawn:
        raise InvalidTransitionError(_("该数据集已撤回。"))
    if dataset.published_version_id is None:
        raise InvalidTransitionError(_("只有已发布的数据集可以撤回。"))
    return _withdraw(dataset, actor=actor, reason=reason)


def _withdraw(dataset: Dataset, *, actor, reason: str, detail: dict | None = None) -> Dataset:
    """Withdraw a locked, published dataset, record it, announce it; the caller checked who may."""
    assert dataset.published_version_id is not None  # the callers withdraw published datasets only
    version = DatasetVersion.objects.select_for_update().get(pk=dataset.published_version_id)
    transitions.move(version, "withdraw")
    transitions.save(version)
    # SECURITY.md 14.2: the superseded versions go with it (they stayed readable by number)
    older = list(DatasetVersion.objects.select_for_update().filter(dataset=dataset, status=V.SUPERSEDED))
    for old in older:
        transitions.move(old, "withdraw")
    DatasetVersion.objects.filter(pk__in=[old.pk for old in older], status=V.SUPERSEDED).update(status=V.WITHDRAWN)
    dataset.withdrawn_at, dataset.withdrawal_reason, dataset.withdrawn_by = timezone.now(), reason, actor
    dataset.save(update_fields=["withdrawn_at", "withdrawal_reason", "withdrawn_by"])
    record(
        "openness.dataset.withdraw",
        actor=actor,
        target=dataset,
        detail={
            "reason": reason,
            "number": version.number,
            "superseded_withdrawn": sorted(old.number for old in older),
            **(detail or {}),
        },
    )
    users = set(users_with_role(Role.DATA_OFFICER, department=dataset.department)) | set(
        users_with_role(Role.BUREAU_REVIEWER)
    )
    notify(
        users=users,
        kind="openness.withdrawn",
        key=f"openness.withdrawn:{dataset.pk}",
        title=_("开放数据集已撤回：%(t)s") % {"t": version.title},
        body=reason,
        url=reverse("openness:dataset", args=[dataset.pk]),
    )
    from openness.services.applications import close_for_withdrawn_dataset

    close_for_withdrawn_dataset(actor=actor, dataset=dataset, reason=reason)
    return dataset


def withdraw_for_withdrawn_entry(*, actor, entry: ResourceEntry, reason: str) -> Dataset | None:
    """Lhasa art. 37, Hechi art. 29: the catalog entry a dataset was published from is withdrawn, so
    the dataset is withdrawn with that reason and announced like any withdrawal; a proposal still
    waiting for review is returned (it could no longer be published). Runs inside the entry's
    withdrawal (catalog.withdrawal); that withdrawal was the permission check."""
    dataset = Dataset.objects.select_for_update().select_related("department").filter(entry=entry).first()
    if dataset is None:
        return None
    note = _("资源目录已撤销：%(r)s") % {"r": reason}
    detail = {"cause": "catalog.entry.withdraw", "entry": entry.pk}
    pending = DatasetVersion.objects.select_for_update().filter(dataset=dataset, status=V.SUBMITTED).first()
    if pending is not None:
        pending.dataset = dataset
        _return(pending, actor=actor, reasons=note, detail=detail)
    if not dataset.is_withdrawn and dataset.published_version_id is not None:
        _withdraw(dataset, actor=actor, reason=note, detail=detail)
    return dataset


@transaction.atomic
def dataset_confirm_current(*, actor, dataset: Dataset, note: str = "") -> Dataset:
    """The department confirms that the published data is still current: the promised update period
    starts again and a stale mark is lifted (Lhasa art. 37: the department keeps its data marked)."""
    dataset = (
        Dataset.objects.select_for_update(of=("self",))
        .select_related("department", "published_version")
        .get(pk=dataset.pk)
    )
    require(actor, PUBLISH, dataset.department)
    if dataset.is_withdrawn or dataset.published_version is None:
        raise InvalidTransitionError(_("只有已发布的数据集可以确认数据为最新。"))
    now = timezone.now()
    dataset.update_due_at = freshness.update_due(now, dataset.published_version.update_frequency)
    was_stale, dataset.stale_since = dataset.stale_since, None
    dataset.save(update_fields=["update_due_at", "stale_since"])
    record(
        "openness.dataset.confirm_current",
        actor=actor,
        target=dataset,
        detail={
            "note": (note or "").strip()[:500],
            "was_stale": was_stale is not None,
            "due": dataset.update_due_at.isoformat() if dataset.update_due_at else None,
        },
    )
    return dataset


def refresh_search_vector(dataset: Dataset) -> None:
    """Index title (A, bigrams and pinyin), summary and theme (B), item names (C), department (D)."""
    version = dataset.published_version
    assert version is not None  # the index is of published datasets
    items = " ".join(i["name"] for i in version.items)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE openness_dataset SET search_vector ="
            " setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"
            " || setweight(to_tsvector('simple', %s), 'C') || setweight(to_tsvector('simple', %s), 'D')"
            " WHERE id = %s",
            [
                search.title_index_text(version.title),
                search.index_text(f"{version.summary} {version.theme}"),
                search.index_text(items),
                search.index_text(dataset.department.name),
                dataset.pk,
            ],
        )


def _notify_department(version: DatasetVersion, kind: str, title: str, body: str = "") -> None:
    users = set(users_with_role(Role.DATA_OFFICER, department=version.dataset.department))
    users.add(version.proposed_by)
    notify(
        users=users,
        kind=kind,
        key=f"{kind}:{version.pk}",
        title=title,
        body=body,
        url=reverse("openness:version", args=[version.pk]),
    )
