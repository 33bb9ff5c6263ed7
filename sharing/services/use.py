"""Using a grant (spec S5), in the web pages and the token API alike: exactly its mode, its items.

Lhasa art. 9 and 22, seed 004 (minimum use, no onward transfer): only the holder department's
users, only while the grant is live, only in its mode, only its items, masked items masked.
Anything outside is refused with a clear message and recorded as denied — in the audit log and
in the usage log the provider reads (spec S8, Lhasa art. 41) — in a transaction of its own, so
the record survives the refusal. A successful use is recorded before its answer leaves.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from catalog import datastore
from catalog.datastore import usage as store
from catalog.services.loads import latest_load
from portal.errors import DomainError, PermissionDeniedError
from portal.permissions import can
from sharing.conf import setting
from sharing.models import Grant, GrantUse, Mode
from sharing.services.grants import masked_now, with_sensitive_now


@dataclass
class Pull:
    chunks: Iterator[bytes]
    filename: str
    content_type: str
    rows: int


class _Refused(Exception):
    """A use outside the grant, found inside the use's transaction; recorded once that is rolled back."""

    def __init__(self, grant: Grant, code: str, message: str, detail: dict):
        super().__init__(code)
        self.grant, self.code, self.message, self.detail = grant, code, message, detail


@contextmanager
def _one_use(*, actor, mode: str, channel: str):
    """One use, one transaction: the grant's row stays FOR SHARE (see _fresh) from the checks until
    the use is recorded, so a revocation (select_for_update) waits for the uses in flight and no
    success is recorded after the grant ended. A refusal is recorded after that transaction is
    rolled back, in a transaction of its own, so the record survives the refusal."""
    try:
        with transaction.atomic():
            yield
    except _Refused as refused:
        _deny(actor=actor, grant=refused.grant, mode=mode, channel=channel, code=refused.code,
              detail=refused.detail)
        raise PermissionDeniedError(refused.message, code=refused.code) from None


def _deny(*, actor, grant: Grant, mode: str, channel: str, code: str, detail: dict) -> None:
    with transaction.atomic():
        GrantUse.objects.create(grant=grant, user=actor, user_department=actor.department,
                                provider_department_id=grant.provider_department_id, mode=mode, channel=channel,
                                outcome=GrantUse.Outcome.DENIED, detail={"code": code, **detail})
        record(f"sharing.grant.{mode}", actor=actor, target=grant, outcome="denied",
               detail={"code": code, "channel": channel, **detail})


def _item_label(grant: Grant, key: str) -> str:
    item = grant.application.entry_version.items.filter(key=key).first()
    return f"{item.name}（{key}）" if item else str(key)[:64]


def _check(*, actor, grant: Grant, mode: str, channel: str, keys=()) -> None:
    """Refuse (and record) any use outside the grant."""
    def deny(code, message, **detail):
        raise _Refused(grant, code, message, detail)

    if not can(actor, "sharing.use_grant") or actor.department_id != grant.holder_department_id:
        deny("not_holder", _("该授权属于%(d)s，仅限该部门使用，不得转交他人（拉萨办法第二十五条）。")
             % {"d": grant.holder_department.name})
    if grant.status == Grant.Status.REVOKED:
        deny("revoked", _("该授权已于 %(t)s 被撤销：%(r)s")
             % {"t": timezone.localtime(grant.ended_at).strftime("%Y-%m-%d"), "r": grant.revoke_reason})
    if grant.status == Grant.Status.RENEWED:
        deny("renewed", _("该授权已续期，请使用新的授权。"))
    if not grant.is_live():
        deny("expired", _("该授权已于 %(d)s 到期，如需继续使用请申请续期。") % {"d": grant.end_date.isoformat()})
    if grant.entry.is_withdrawn:
        deny("withdrawn", _("该资源已被提供部门撤销，授权不能再使用。"))
    if mode != grant.mode:
        deny("wrong_mode", _("该授权的使用方式为「%(g)s」，不能「%(m)s」。")
             % {"g": Mode(grant.mode).label, "m": Mode(mode).label}, wanted_mode=mode)
    outside = [k for k in dict.fromkeys(keys) if k not in grant.items]
    if outside:
        deny("item_not_granted", _("该授权不包括信息项：%(i)s。") % {"i": "、".join(_item_label(grant, k) for k in outside)},
             items=[str(k)[:64] for k in outside])


def _fresh(grant: Grant) -> Grant:
    """The grant as it is now (a revocation a moment ago counts), with what the checks read, its row
    held FOR SHARE until the use's transaction ends (Django's select_for_update has no shared mode;
    uses do not block each other, a revocation waits for them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sharing_grant WHERE id = %s FOR SHARE", [grant.pk])
    # entry: the checks, the load and the file name; holder_department: the audit entry's description;
    # the entry's sensitive items now: the masking (masked_now)
    return with_sensitive_now(Grant.objects.select_related("entry", "holder_department")).get(pk=grant.pk)


def _columns(grant: Grant, wanted=None):
    load = latest_load(grant.entry)
    if load is None:
        raise DomainError(_("提供部门尚未归集该资源的数据。"), code="no_data")
    keys = set(wanted or grant.items)
    columns = [datastore.Column(**c) for c in load.columns if c["key"] in keys and c["key"] in grant.items]
    if not columns:
        raise DomainError(_("当前数据版本不含授权的信息项，请联系提供部门。"), code="no_data")
    return load, columns


def _used(*, actor, grant: Grant, mode: str, channel: str, amount: int, load, detail: dict) -> None:
    """Recorded in the use's transaction (_one_use), while the grant's row is still held."""
    GrantUse.objects.create(grant=grant, user=actor, user_department=actor.department,
                            provider_department_id=grant.provider_department_id, mode=mode, channel=channel,
                            amount=amount, detail={"data_version": load.data_version, **detail})
    record(f"sharing.grant.{mode}", actor=actor, target=grant,
           detail={"channel": channel, "amount": amount, "data_version": load.data_version, **detail})


def _bad_input(exc: ValueError) -> DomainError:
    return DomainError(str(exc), code="invalid_input")


def _filter_keys(filters: dict | None) -> list[str]:
    return [k for k, v in (filters or {}).items() if v not in (None, "")]


def grant_query(*, actor, grant: Grant, items: list[str] | None = None, filters: dict | None = None,
                order_by: str | None = None, page: int = 1, page_size: int = 50, channel: str = "web") -> dict:
    """查阅: one page of rows of the granted items (or some of them), masked items masked."""
    order_key = (order_by or "").lstrip("-")
    with _one_use(actor=actor, mode=Mode.QUERY, channel=channel):
        grant = _fresh(grant)
        _check(actor=actor, grant=grant, mode=Mode.QUERY, channel=channel,
               keys=list(items or []) + _filter_keys(filters) + ([order_key] if order_key else []))
        load, columns = _columns(grant, items)
        masked = masked_now(grant) & {c.key for c in columns}
        try:
            rows, total = store.query(load.table_name, columns, masked=masked,
                                      filters={k: v for k, v in (filters or {}).items() if v not in (None, "")},
                                      order_by=order_by or None, page=page, page_size=page_size)
        except ValueError as exc:
            raise _bad_input(exc) from None
        _used(actor=actor, grant=grant, mode=Mode.QUERY, channel=channel, amount=len(rows), load=load,
              detail={"filters": sorted(_filter_keys(filters)), "page": page, "items": [c.key for c in columns]})
    return {"count": total, "page": page, "page_size": page_size, "data_version": load.data_version,
            "columns": [{"key": c.key, "name": c.name, "masked": c.key in masked} for c in columns],
            "rows": rows}


def grant_compare(*, actor, grant: Grant, key: str, key_value, values: dict, channel: str = "web") -> dict:
    """比对: match / no match per item for the record with this key — never a stored value."""
    if not isinstance(values, dict):
        raise DomainError(_("比对的值必须是「信息项: 值」的形式。"), code="invalid_input")
    with _one_use(actor=actor, mode=Mode.COMPARE, channel=channel):
        grant = _fresh(grant)
        _check(actor=actor, grant=grant, mode=Mode.COMPARE, channel=channel, keys=[key, *values.keys()])
        load, columns = _columns(grant)
        try:
            result = store.compare(load.table_name, columns, key=key, key_value=key_value, values=values)
        except ValueError as exc:
            raise _bad_input(exc) from None
        _used(actor=actor, grant=grant, mode=Mode.COMPARE, channel=channel, amount=len(result), load=load,
              detail={"key": key, "items": sorted(values)})
    return {"key": key, "data_version": load.data_version,
            "results": {k: "match" if v else "no_match" for k, v in result.items()}}


def grant_statistics(*, actor, grant: Grant, group_by: list[str], measures: list[tuple[str, str]] | None = None,
                     filters: dict | None = None, channel: str = "web") -> dict:
    """统计: counts and sums / averages grouped by granted items; groups under the threshold suppressed."""
    measures = list(measures or [])
    with _one_use(actor=actor, mode=Mode.STATISTICS, channel=channel):
        grant = _fresh(grant)
        _check(actor=actor, grant=grant, mode=Mode.STATISTICS, channel=channel,
               keys=list(group_by or []) + [k for _f, k in measures] + _filter_keys(filters))
        load, columns = _columns(grant)
        try:
            result = store.statistics(load.table_name, columns, group_by=list(group_by or []), measures=measures,
                                      masked=masked_now(grant) & {c.key for c in columns},
                                      filters={k: v for k, v in (filters or {}).items() if v not in (None, "")},
                                      min_group_size=setting("MIN_GROUP_SIZE"))
        except ValueError as exc:
            raise _bad_input(exc) from None
        _used(actor=actor, grant=grant, mode=Mode.STATISTICS, channel=channel, amount=len(result["groups"]),
              load=load, detail={"group_by": list(group_by or []), "measures": [f"{f}:{k}" for f, k in measures],
                                 "filters": sorted(_filter_keys(filters)), "suppressed": result["suppressed_groups"]})
    return {"data_version": load.data_version, **result}


def grant_pull(*, actor, grant: Grant, fmt: str = "csv", items: list[str] | None = None,
               filters: dict | None = None, channel: str = "web") -> Pull:
    """获取: every row of the granted items as a streamed CSV or JSON download. The rows stream after
    the use is recorded (on a connection of their own), from the data version recorded."""
    if fmt not in ("csv", "json"):
        raise DomainError(_("下载格式只能是 csv 或 json。"), code="invalid_input")
    with _one_use(actor=actor, mode=Mode.PULL, channel=channel):
        grant = _fresh(grant)
        _check(actor=actor, grant=grant, mode=Mode.PULL, channel=channel,
               keys=list(items or []) + _filter_keys(filters))
        load, columns = _columns(grant, items)
        filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
        masked = masked_now(grant) & {c.key for c in columns}
        try:
            rows = store.count(load.table_name, columns, filters=filters)
            chunks = store.stream(load.table_name, columns, masked=masked, filters=filters, fmt=fmt,
                                  header_names=True, bom=fmt == "csv")
        except ValueError as exc:
            raise _bad_input(exc) from None
        _used(actor=actor, grant=grant, mode=Mode.PULL, channel=channel, amount=rows, load=load,
              detail={"format": fmt, "items": [c.key for c in columns], "filters": sorted(filters)})
    name = f"{grant.entry.code}-grant{grant.pk}-v{load.data_version}.{fmt}"
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/json; charset=utf-8"
    return Pull(chunks=chunks, filename=name, content_type=content_type, rows=rows)
