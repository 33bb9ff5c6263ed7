"""Using a grant (docs/features.md S5), in the web pages and the token API alike: exactly its mode, its items.

Lhasa art. 9 and 22, seed 004 (minimum use, no onward transfer): only the holder department's
users, only while the grant is live, only in its mode, only its items, masked items masked, within
its daily quotas (SECURITY.md 14.6, sharing.services.limits). Anything outside is refused with a clear
message and recorded as denied — in the audit log and in the usage log the provider reads (docs/features.md S8,
Lhasa art. 41) — in a transaction of its own, so the record survives the refusal
(sharing.services.refusals). A successful use is recorded before its answer leaves.

What each mode can reveal, and why the masked-item rules below are what they are: docs/grant-modes.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from catalog import datastore
from catalog.datastore import usage as store
from catalog.datastore.validate import CellError, normalise
from catalog.services.loads import latest_load
from portal import suspensions
from portal.errors import DomainError, NotFoundError, PermissionDeniedError
from portal.permissions import can
from protection.signatures.services import receipts
from sharing import selectors
from sharing.conf import setting
from sharing.models import Grant, GrantUse, Mode
from sharing.services import grade_rules, limits
from sharing.services.grants import masked_now, with_sensitive_now
from sharing.services.refusals import Refused, deny, one_use


@dataclass
class Pull:
    chunks: Iterator[bytes]
    filename: str
    content_type: str
    rows: int


def _holds(actor, grant: Grant) -> bool:
    return (
        can(actor, "sharing.use_grant")
        and actor.department_id is not None
        and (actor.department_id == grant.holder_department_id)
    )


def _not_holder_message(actor, grant: Grant) -> str:
    """Who holds the grant is told only to those who may see it (its provider, the bureau)."""
    if selectors.grants_visible_to(actor).filter(pk=grant.pk).exists():
        return _("该授权属于%(d)s，仅限该部门使用，不得转交他人（拉萨办法第二十五条）。") % {
            "d": grant.holder_department.name
        }
    return _("您所在的部门未获得该授权，不能使用（拉萨办法第二十五条）。")


def grant_for_use(*, actor, grant_id: int, mode: str, channel: str) -> Grant:
    """The grant `grant_id` if `actor` belongs to its holder department; the first step of every use,
    before any input is read.

    SECURITY.md 22.3: a grant that exists but is not the caller's is refused with 403 `not_holder` and
    recorded as denied with the grant as the object (a probe of another department's grant leaves a
    trace); only an id that does not exist is a 404. The use service checks again, locked."""
    grant = Grant.objects.select_related("entry", "holder_department").filter(pk=grant_id).order_by().first()
    if grant is None:
        raise NotFoundError(_("授权不存在。"))
    if not _holds(actor, grant):
        deny(actor=actor, grant=grant, mode=mode, channel=channel, code="not_holder")
        raise PermissionDeniedError(_not_holder_message(actor, grant), code="not_holder")
    return grant


def _item_label(grant: Grant, key: str) -> str:
    item = grant.application.entry_version.items.filter(key=key).first()
    return f"{item.name}（{key}）" if item else str(key)[:64]


def _check(*, actor, grant: Grant, mode: str, channel: str, keys=()) -> None:
    """Refuse (and record) any use outside the grant."""

    def refuse(code, message, **detail):
        raise Refused(grant, code, message, detail)

    if not _holds(actor, grant):
        refuse("not_holder", _not_holder_message(actor, grant))
    held = suspensions.suspended(suspensions.GRANT, grant_id=grant.pk) or suspensions.suspended(
        suspensions.DEPARTMENT_ENTRY, department_id=grant.holder_department_id, entry_id=grant.entry_id
    )
    if held:  # a containment action of an incident (Tongren art. 36: stop the harm spreading)
        refuse("suspended", held)
    if grant.status == Grant.Status.REVOKED:
        refuse(
            "revoked",
            _("该授权已于 %(t)s 被撤销：%(r)s")
            % {"t": timezone.localtime(grant.ended_at).strftime("%Y-%m-%d"), "r": grant.revoke_reason},
        )
    if grant.status == Grant.Status.RENEWED:
        refuse("renewed", _("该授权已续期，请使用新的授权。"))
    if not grant.is_live():
        refuse("expired", _("该授权已于 %(d)s 到期，如需继续使用请申请续期。") % {"d": grant.end_date.isoformat()})
    if grant.entry.is_withdrawn:
        refuse("withdrawn", _("该资源已被提供部门撤销，授权不能再使用。"))
    if mode != grant.mode:
        refuse(
            "wrong_mode",
            _("该授权的使用方式为「%(g)s」，不能「%(m)s」。") % {"g": Mode(grant.mode).label, "m": Mode(mode).label},
            wanted_mode=mode,
        )
    outside = [k for k in dict.fromkeys(keys) if k not in grant.items]
    if outside:
        refuse(
            "item_not_granted",
            _("该授权不包括信息项：%(i)s。") % {"i": "、".join(_item_label(grant, k) for k in outside)},
            items=[str(k)[:64] for k in outside],
        )


def _check_filters(*, grant: Grant, load, filters: dict, masked: set[str], mode: str, in_url: bool) -> None:
    """SECURITY.md 14.3, 14.14: what a filter on a masked item may do, per mode (docs/grant-modes.md).

    - 统计: never — a count per guessed value confirms the guess for one person;
    - 查阅, 获取: only on an identifier (ID number, credit code, phone number), whose full value the
      holder brings to find a record (the rows show it masked); any other masked item (a name shown
      as 张*, a masked amount) has few enough values to be found by trying them one by one;
    - in a URL (GET), never: a masked value must not reach access logs; send it in a POST body."""
    keys = sorted(k for k in filters if k in masked)
    if not keys:
        return
    names = "、".join(_item_label(grant, k) for k in keys)
    if mode == Mode.STATISTICS:
        raise Refused(
            grant,
            "masked_filter",
            _("统计时不能按脱敏的信息项筛选：%(i)s。") % {"i": names},
            {"items": keys},
            error=DomainError,
        )
    types = {c["key"]: c["type"] for c in load.columns}
    guessable = [k for k in keys if types.get(k) not in store.KEEP_LAST_FOUR]
    if guessable:
        raise Refused(
            grant,
            "masked_filter",
            _("不能按脱敏的信息项筛选：%(i)s（只能按完整的身份证号、统一社会信用代码或电话号码查找记录）。")
            % {"i": "、".join(_item_label(grant, k) for k in guessable)},
            {"items": guessable},
            error=DomainError,
        )
    if in_url:
        raise Refused(
            grant,
            "masked_filter_in_url",
            _("脱敏信息项（%(i)s）的筛选值不能放在网址中，请用 POST 请求在请求体中提交。") % {"i": names},
            {"items": keys},
            error=DomainError,
        )


def _check_compare_key(*, grant: Grant, load, key: str, masked: set[str]) -> None:
    """SECURITY.md 14.3: "found / not found" for a key value is a guess confirmed, so a masked key must be an
    identifier the holder brings whole (as for filters, _check_filters): keyed on a masked name or
    amount, trying its few values one by one would list those the data holds."""
    types = {c["key"]: c["type"] for c in load.columns}
    if key in masked and types.get(key) not in store.KEEP_LAST_FOUR:
        raise Refused(
            grant,
            "masked_key",
            _("不能以脱敏的信息项「%(i)s」定位记录，请以身份证号、统一社会信用代码或电话号码比对。")
            % {"i": _item_label(grant, key)},
            {"items": [key]},
            error=DomainError,
        )


def _fresh(grant: Grant) -> Grant:
    """The grant as it is now (a revocation a moment ago counts), with what the checks read, its row
    held FOR SHARE until the use's transaction ends (Django's select_for_update has no shared mode;
    uses do not block each other, a revocation waits for them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sharing_grant WHERE id = %s FOR SHARE", [grant.pk])
    # entry: the checks, the load and the file name; holder_department: the audit entry's description;
    # the entry's sensitive items now: the masking (masked_now)
    found = with_sensitive_now(Grant.objects.select_related("entry", "holder_department")).filter(pk=grant.pk).first()
    if found is None:
        raise NotFoundError(_("授权不存在。"))
    return found


def _columns(grant: Grant, wanted=None):
    load = latest_load(grant.entry)
    if load is None:
        raise DomainError(_("提供部门尚未归集该资源的数据。"), code="no_data")
    keys = set(wanted or grant.items)
    columns = [datastore.Column(**c) for c in load.columns if c["key"] in keys and c["key"] in grant.items]
    if not columns:
        raise DomainError(_("当前数据版本不含授权的信息项，请联系提供部门。"), code="no_data")
    return load, columns


def _used(
    *,
    actor,
    grant: Grant,
    mode: str,
    channel: str,
    amount: int,
    load,
    detail: dict,
    rows: int = 0,
    subject: str | None = None,
) -> None:
    """Recorded in the use's transaction (one_use), while the grant's row is still held, once the
    use is within the grant's daily quotas (checked here, under the quota lock)."""
    now = timezone.now()
    limits.check_quota(grant=grant, mode=mode, rows=rows, now=now)
    if subject is not None:
        limits.check_compare_record(grant=grant, subject=subject, now=now)
    GrantUse.objects.create(
        grant=grant,
        user=actor,
        user_department_id=actor.department_id,
        provider_department_id=grant.provider_department_id,
        mode=mode,
        channel=channel,
        amount=amount,
        used_at=now,
        detail={"data_version": load.data_version, **detail, **({"subject": subject} if subject else {})},
    )
    record(
        f"sharing.grant.{mode}",
        actor=actor,
        target=grant,
        detail={"channel": channel, "amount": amount, "data_version": load.data_version, **detail},
    )
    # Hechi art. 41 责任认定: the answer's bytes are hashed into a receipt when they leave.
    receipts.receipt_for(
        grant_id=grant.pk,
        mode=mode,
        channel=channel,
        requester_id=actor.pk,
        requester_department_id=actor.department_id,
        provider_department_id=grant.provider_department_id,
        rows=amount,
    )


def _bad_input(exc: ValueError) -> DomainError:
    return DomainError(str(exc), code="invalid_input")


def _given(filters: dict | None) -> dict:
    if filters is not None and not isinstance(filters, dict):
        raise DomainError(_("筛选条件必须是「信息项: 值」的形式。"), code="invalid_input")
    return {k: v for k, v in (filters or {}).items() if v not in (None, "")}


def grant_query(
    *,
    actor,
    grant: Grant,
    items: list[str] | None = None,
    filters: dict | None = None,
    order_by: str | None = None,
    page: int = 1,
    page_size: int = 50,
    channel: str = "web",
    filters_in_url: bool = False,
) -> dict:
    """查阅: one page of rows of the granted items (or some of them), masked items masked."""
    order_key = (order_by or "").lstrip("-")
    filters = _given(filters)
    with one_use(actor=actor, mode=Mode.QUERY, channel=channel):
        grant = _fresh(grant)
        _check(
            actor=actor,
            grant=grant,
            mode=Mode.QUERY,
            channel=channel,
            keys=list(items or []) + list(filters) + ([order_key] if order_key else []),
        )
        load, columns = _columns(grant, items)
        _check_filters(
            grant=grant, load=load, filters=filters, masked=masked_now(grant), mode=Mode.QUERY, in_url=filters_in_url
        )
        masked = masked_now(grant) & {c.key for c in columns}
        try:
            rows, total = store.query(
                load.table_name,
                columns,
                masked=masked,
                filters=filters,
                order_by=order_by or None,
                page=page,
                page_size=page_size,
            )
        except ValueError as exc:
            raise _bad_input(exc) from None
        _used(
            actor=actor,
            grant=grant,
            mode=Mode.QUERY,
            channel=channel,
            amount=len(rows),
            load=load,
            rows=len(rows),
            detail={"filters": sorted(filters), "page": page, "items": [c.key for c in columns]},
        )
    return {
        "count": total,
        "page": page,
        "page_size": page_size,
        "data_version": load.data_version,
        "columns": [{"key": c.key, "name": c.name, "masked": c.key in masked} for c in columns],
        "rows": rows,
    }


def _subject(grant: Grant, columns, key: str, key_value) -> str:
    column = next((c for c in columns if c.key == key), None)
    text: str | None = str(key_value).strip()  # None when normalised from an empty value
    if column is not None:
        try:
            text = normalise(column, text)
        except CellError:
            pass  # store.compare has refused it already
    return limits.compare_subject(grant, key, text)


def grant_compare(*, actor, grant: Grant, key: str, key_value, values: dict, channel: str = "web") -> dict:
    """比对: match / no match per item for the record with this key — never a stored value; one record
    at most COMPARES_PER_RECORD times a day (SECURITY.md 14.3: trying values one by one finds a masked one)."""
    if not isinstance(values, dict):
        raise DomainError(_("比对的值必须是「信息项: 值」的形式。"), code="invalid_input")
    with one_use(actor=actor, mode=Mode.COMPARE, channel=channel):
        grant = _fresh(grant)
        _check(actor=actor, grant=grant, mode=Mode.COMPARE, channel=channel, keys=[key, *values.keys()])
        load, columns = _columns(grant)
        _check_compare_key(grant=grant, load=load, key=key, masked=masked_now(grant))
        try:
            result = store.compare(load.table_name, columns, key=key, key_value=key_value, values=values)
        except ValueError as exc:
            raise _bad_input(exc) from None
        _used(
            actor=actor,
            grant=grant,
            mode=Mode.COMPARE,
            channel=channel,
            amount=len(result),
            load=load,
            detail={"key": key, "items": sorted(values)},
            subject=_subject(grant, columns, key, key_value),
        )
    return {
        "key": key,
        "data_version": load.data_version,
        "results": {k: "match" if v else "no_match" for k, v in result.items()},
    }


def grant_statistics(
    *,
    actor,
    grant: Grant,
    group_by: list[str],
    measures: list[tuple[str, str]] | None = None,
    filters: dict | None = None,
    channel: str = "web",
    filters_in_url: bool = False,
) -> dict:
    """统计: counts and sums / averages grouped by granted items, never by or filtered on a masked item.

    SECURITY.md 14.3: groups under MIN_GROUP_SIZE are left out and not counted in the answer (how many were
    left out, for a filter naming one person, said whether the guess was right), and a filtered set
    smaller than MIN_FILTERED_ROWS is refused without saying how small it is."""
    measures = list(measures or [])
    filters = _given(filters)
    with one_use(actor=actor, mode=Mode.STATISTICS, channel=channel):
        grant = _fresh(grant)
        _check(
            actor=actor,
            grant=grant,
            mode=Mode.STATISTICS,
            channel=channel,
            keys=list(group_by or []) + [k for _f, k in measures] + list(filters),
        )
        load, columns = _columns(grant)
        masked = masked_now(grant) & {c.key for c in columns}
        _check_filters(
            grant=grant,
            load=load,
            filters=filters,
            masked=masked_now(grant),
            mode=Mode.STATISTICS,
            in_url=filters_in_url,
        )
        minimum = setting("MIN_FILTERED_ROWS")
        try:
            population = store.count(load.table_name, columns, filters=filters)
            if population < minimum:
                raise Refused(
                    grant,
                    "population_too_small",
                    _("符合条件的记录少于 %(n)d 条，为保护个人信息不予统计，请放宽筛选条件。") % {"n": minimum},
                    {"filters": sorted(filters)},
                    error=DomainError,
                )
            result = store.statistics(
                load.table_name,
                columns,
                group_by=list(group_by or []),
                measures=measures,
                masked=masked,
                filters=filters,
                min_group_size=setting("MIN_GROUP_SIZE"),
            )
        except ValueError as exc:
            raise _bad_input(exc) from None
        _used(
            actor=actor,
            grant=grant,
            mode=Mode.STATISTICS,
            channel=channel,
            amount=len(result["groups"]),
            load=load,
            detail={
                "group_by": list(group_by or []),
                "measures": [f"{f}:{k}" for f, k in measures],
                "filters": sorted(filters),
            },
        )
    return {
        "data_version": load.data_version,
        "groups": result["groups"],
        "min_group_size": result["min_group_size"],
        "truncated": result["truncated"],
    }


def grant_pull(
    *,
    actor,
    grant: Grant,
    fmt: str = "csv",
    items: list[str] | None = None,
    filters: dict | None = None,
    channel: str = "web",
    filters_in_url: bool = False,
) -> Pull:
    """获取: every row of the granted items as a streamed CSV or JSON download. The rows stream after
    the use is recorded (on a connection of their own), from the data version recorded."""
    if fmt not in ("csv", "json"):
        raise DomainError(_("下载格式只能是 csv 或 json。"), code="invalid_input")
    filters = _given(filters)
    with one_use(actor=actor, mode=Mode.PULL, channel=channel):
        grant = _fresh(grant)
        _check(actor=actor, grant=grant, mode=Mode.PULL, channel=channel, keys=list(items or []) + list(filters))
        load, columns = _columns(grant, items)
        _check_filters(
            grant=grant, load=load, filters=filters, masked=masked_now(grant), mode=Mode.PULL, in_url=filters_in_url
        )
        masked = masked_now(grant) & {c.key for c in columns}
        try:
            rows = store.count(load.table_name, columns, filters=filters)
        except ValueError as exc:
            raise _bad_input(exc) from None
        # recorded (and the quotas checked) before COPY starts on a connection of its own; the grade's
        # audit and daily rows (docs/grading.md) first
        graded = grade_rules.check_pull(grant=grant, rows=rows, now=timezone.now())
        _used(
            actor=actor,
            grant=grant,
            mode=Mode.PULL,
            channel=channel,
            amount=rows,
            load=load,
            rows=rows,
            detail={"format": fmt, "items": [c.key for c in columns], "filters": sorted(filters), **graded},
        )
        try:
            chunks = store.stream(
                load.table_name, columns, masked=masked, filters=filters, fmt=fmt, header_names=True, bom=fmt == "csv"
            )
        except ValueError as exc:
            raise _bad_input(exc) from None
    name = f"{grant.entry.code}-grant{grant.pk}-v{load.data_version}.{fmt}"
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/json; charset=utf-8"
    return Pull(chunks=chunks, filename=name, content_type=content_type, rows=rows)
