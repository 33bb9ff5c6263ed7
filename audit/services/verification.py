"""Verification of the audit chain (A3; seed 004 完整性检查; Lhasa art. 43 数据审计跟踪).

Re-computes every block's hash and link, every sealed entry's digest, and compares the chain with
the heads recorded outside the database each day. Names by id every entry that was altered,
removed, or inserted into the sealed past; reports whole-chain rewrites through the head file.
Entries of months dropped by the retention job are expected to be gone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditBlock, AuditPartitionDrop, AuditVerification, Outcome
from audit.services import head_signers, record
from audit.services.canonical import ENTRY_DIGEST_SQL, GENESIS_HASH, block_hash, split_digests
from audit.services.heads import read_heads
from audit.services.partitions import month_bounds

STORED_IDS_LIMIT = 10000  # ids kept in the verification row; the command prints them all
_FETCH = 5000


@dataclass
class Report:
    blocks_checked: int = 0
    entries_checked: int = 0
    unsealed_entries: int = 0
    altered: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    inserted: list[int] = field(default_factory=list)
    block_problems: list[str] = field(default_factory=list)
    head_problems: list[str] = field(default_factory=list)
    last_block_number: int | None = None
    last_block_hash: str = ""

    @property
    def ok(self) -> bool:
        return not (self.altered or self.removed or self.inserted or self.block_problems or self.head_problems)


class _EntryStream:
    """Sealed entries (txid < limit) in (txid, id) order with their digests, from a server-side cursor."""

    def __init__(self, cursor, where: str, params: list):
        self.cursor = cursor
        cursor.execute(
            f"SELECT id, txid, {ENTRY_DIGEST_SQL} FROM audit_auditentry WHERE {where} ORDER BY txid, id", params
        )
        self.buffer: list = []
        self.current: tuple[int, int, bytes] | None = None  # (id, txid, digest)
        self.advance()

    def advance(self):
        if not self.buffer:
            self.buffer = list(reversed(self.cursor.fetchmany(_FETCH)))
        self.current = self.buffer.pop() if self.buffer else None
        if self.current is not None:
            self.current = (self.current[0], self.current[1], bytes(self.current[2]))


def _runs(blocks):
    """Consecutive blocks of one seal run (same txid range), in chain order."""
    run: list[AuditBlock] = []
    for block in blocks:
        if run and (block.txid_lo, block.txid_hi) != (run[0].txid_lo, run[0].txid_hi):
            yield run
            run = []
        run.append(block)
    if run:
        yield run


def _check_links(block: AuditBlock, expected_number: int, prev_hash: str, report: Report) -> str:
    digests = bytes(block.entry_digests)
    if block.number != expected_number:
        report.block_problems.append(
            _("区块编号不连续：应为 %(expected)s，实为 %(number)s（区块被删除或插入）。")
            % {"expected": expected_number, "number": block.number}
        )
    if block.prev_hash != prev_hash:
        report.block_problems.append(
            _("区块 %(number)s 的前一区块哈希不符（链被截断或改动）。") % {"number": block.number}
        )
    try:
        computed = block_hash(
            prev_hash=block.prev_hash,
            number=block.number,
            month=block.month,
            txid_lo=block.txid_lo,
            txid_hi=block.txid_hi,
            entry_ids=list(block.entry_ids),
            digests=digests,
        )
    except ValueError:
        computed = ""
    if computed != block.block_hash or block.entry_count != len(block.entry_ids):
        report.block_problems.append(
            _("区块 %(number)s 的内容与其哈希不符（区块记录被改动）。") % {"number": block.number}
        )
    return block.block_hash


def _compare_run(run: list[AuditBlock], stream: _EntryStream, dropped: set, report: Report) -> None:
    lo, hi = run[0].txid_lo, run[0].txid_hi
    expected: dict[int, tuple[bytes, dt.date]] = {}
    for block in run:
        for entry_id, digest in zip(block.entry_ids, split_digests(bytes(block.entry_digests))):
            expected[entry_id] = (digest, block.month)
    while stream.current is not None and stream.current[1] < lo:
        report.inserted.append(stream.current[0])  # between two runs: no block may hold it
        stream.advance()
    while stream.current is not None and stream.current[1] < hi:
        entry_id, _txid, digest = stream.current
        report.entries_checked += 1
        known = expected.pop(entry_id, None)
        if known is None:
            report.inserted.append(entry_id)
        elif known[0] != digest:
            report.altered.append(entry_id)
        stream.advance()
    report.removed.extend(entry_id for entry_id, (_d, month) in expected.items() if month not in dropped)


def check_chain() -> Report:
    """Re-compute the whole chain; no side effects."""
    report = Report()
    dropped = set(AuditPartitionDrop.objects.values_list("month", flat=True))
    head = AuditBlock.objects.order_by("-number").only("number", "txid_hi", "block_hash").first()
    sealed_below = head.txid_hi if head else 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit_auditentry WHERE txid >= %s", [sealed_below])
            report.unsealed_entries = cursor.fetchone()[0]
        entries_cursor = connection.chunked_cursor()
        stream = _EntryStream(entries_cursor, "txid < %s", [sealed_below])
        prev_hash, expected_number, prev_hi = GENESIS_HASH, 1, 0
        for run in _runs(AuditBlock.objects.order_by("number").iterator(chunk_size=200)):
            if run[0].txid_lo != prev_hi:
                report.block_problems.append(
                    _("区块 %(number)s 的事务范围与前一区块不衔接。") % {"number": run[0].number}
                )
            for block in run:
                prev_hash = _check_links(block, expected_number, prev_hash, report)
                expected_number = block.number + 1
                report.blocks_checked += 1
                report.last_block_number, report.last_block_hash = block.number, block.block_hash
            _compare_run(run, stream, dropped, report)
            prev_hi = run[0].txid_hi
        while stream.current is not None:  # below the head's horizon yet after the last run
            report.inserted.append(stream.current[0])
            stream.advance()
        entries_cursor.close()
    _check_heads(report)
    return report


def _check_heads(report: Report) -> None:
    """Compare the chain with the heads recorded outside the database (whole-chain rewrites) and with
    the heads a higher app signed (head_signers.checks(): protection.signatures, a keyed chain)."""
    for check in head_signers.checks():
        report.head_problems.extend(check())
    heads = read_heads()
    if not heads:
        if (
            report.blocks_checked
            and AuditBlock.objects.filter(sealed_at__lt=timezone.now() - dt.timedelta(days=2)).exists()
        ):
            report.head_problems.append(_("链头存证文件不存在：无法发现整条链被重写。"))
        return
    numbers = {h.block_number for h in heads if h.block_number}
    stored = dict(AuditBlock.objects.filter(number__in=numbers).values_list("number", "block_hash"))
    for h in heads:
        if h.block_number == 0:
            continue
        if h.block_number not in stored:
            report.head_problems.append(
                _("%(day)s 存证的区块 %(number)s 已不存在（链被截断）。")
                % {"day": h.day.isoformat(), "number": h.block_number}
            )
        elif stored[h.block_number] != h.block_hash:
            report.head_problems.append(
                _("%(day)s 存证的区块 %(number)s 哈希与链中不符（链被重写）。")
                % {"day": h.day.isoformat(), "number": h.block_number}
            )


def verify_chain(*, trigger: str = "command") -> tuple[AuditVerification, Report]:
    """Verify the chain, store what was found, record it in the log and alert the auditors on failure.

    Seed 004 (完整性检查、抗抵赖), Lhasa art. 43 (数据审计跟踪). The bureau sees the stored result.
    """
    started = timezone.now()
    report = check_chain()
    with transaction.atomic():
        verification = AuditVerification(
            started_at=started,
            finished_at=timezone.now(),
            trigger=trigger[:20],
            ok=report.ok,
            blocks_checked=report.blocks_checked,
            entries_checked=report.entries_checked,
            unsealed_entries=report.unsealed_entries,
            altered_ids=report.altered[:STORED_IDS_LIMIT],
            removed_ids=report.removed[:STORED_IDS_LIMIT],
            inserted_ids=report.inserted[:STORED_IDS_LIMIT],
            block_problems=report.block_problems[:1000],
            head_problems=report.head_problems[:1000],
            last_block_number=report.last_block_number,
            last_block_hash=report.last_block_hash,
        )
        verification.save()
        record(
            "audit.verify",
            target=verification,
            outcome=Outcome.SUCCESS if report.ok else Outcome.FAILURE,
            detail={
                "trigger": trigger,
                "blocks": report.blocks_checked,
                "entries": report.entries_checked,
                "altered": len(report.altered),
                "removed": len(report.removed),
                "inserted": len(report.inserted),
                "block_problems": len(report.block_problems),
                "head_problems": len(report.head_problems),
            },
        )
        if not report.ok:
            from audit.services.alerts import alert_auditors

            alert_auditors(
                key=f"audit.verify.failed:{verification.pk}",
                title=_("审计日志完整性校验未通过"),
                body=_(
                    "%(when)s 的校验发现问题：篡改 %(altered)s 条，删除 %(removed)s 条，插入 %(inserted)s 条，"
                    "区块问题 %(blocks)s 项，链头问题 %(heads)s 项。"
                )
                % {
                    "when": timezone.localtime(started).strftime("%Y-%m-%d %H:%M"),
                    "altered": len(report.altered),
                    "removed": len(report.removed),
                    "inserted": len(report.inserted),
                    "blocks": len(report.block_problems),
                    "heads": len(report.head_problems),
                },
            )
    return verification, report


def check_month(month: dt.date) -> list[str]:
    """Problems of one month's entries against its blocks (the retention job checks before a drop)."""
    problems: list[str] = []
    blocks = list(AuditBlock.objects.filter(month=month).order_by("number"))
    expected: dict[int, bytes] = {}
    for block in blocks:
        expected.update(zip(block.entry_ids, split_digests(bytes(block.entry_digests))))
    head = AuditBlock.objects.order_by("-number").only("txid_hi").first()
    sealed_below = head.txid_hi if head else 0
    with connection.cursor() as cursor:
        start, end = month_bounds(month)
        cursor.execute(
            f"SELECT id, txid, {ENTRY_DIGEST_SQL} FROM audit_auditentry "
            "WHERE occurred_at >= %s AND occurred_at < %s ORDER BY txid, id",
            [start, end],
        )
        for entry_id, txid, digest in cursor.fetchall():
            if txid >= sealed_below:
                problems.append(_("记录 %(id)s 尚未封存。") % {"id": entry_id})
                continue
            known = expected.pop(entry_id, None)
            if known is None:
                problems.append(_("记录 %(id)s 不在任何区块中（被插入）。") % {"id": entry_id})
            elif known != bytes(digest):
                problems.append(_("记录 %(id)s 已被篡改。") % {"id": entry_id})
    problems.extend(_("记录 %(id)s 已被删除。") % {"id": entry_id} for entry_id in expected)
    return problems


def covering_verification(month: dt.date, *, now: dt.datetime | None = None) -> AuditVerification | None:
    """The latest full verification, if it passed, finished at most AUDIT_RETENTION_TRUST_VERIFICATION_HOURS
    ago and checked every block of `month`; else None (a later failed run voids an earlier pass)."""
    hours = settings.AUDIT_RETENTION_TRUST_VERIFICATION_HOURS
    if hours <= 0:
        return None
    latest = AuditVerification.objects.order_by("-finished_at", "-id").first()
    last_block = AuditBlock.objects.filter(month=month).order_by("-number").values_list("number", flat=True).first()
    if (
        latest is None
        or not latest.ok
        or last_block is None
        or latest.last_block_number is None
        or latest.last_block_number < last_block
        or latest.finished_at < (now or timezone.now()) - dt.timedelta(hours=hours)
    ):
        return None
    return latest


def check_month_counts(month: dt.date) -> list[str]:
    """The month's entries against its blocks by row count, id range and id sum, without digests.

    For a month whose every entry's digest a passing verification re-computed hours ago (see
    covering_verification): the append-only triggers stop UPDATE and DELETE, and what this check
    cannot see (an entry's content changed in between by someone who disabled the triggers) dies
    with the partition anyway; the drop's record names the verification it relied on.
    """
    head = AuditBlock.objects.order_by("-number").only("txid_hi").first()
    sealed_below = head.txid_hi if head else 0
    start, end = month_bounds(month)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(i), min(i), max(i), coalesce(sum(i), 0) FROM audit_auditblock b, "
            "unnest(b.entry_ids) AS i WHERE b.month = %s",
            [month],
        )
        expected = cursor.fetchone()
        cursor.execute(
            "SELECT count(*), min(id), max(id), coalesce(sum(id), 0), count(*) FILTER (WHERE txid >= %s) "
            "FROM audit_auditentry WHERE occurred_at >= %s AND occurred_at < %s",
            [sealed_below, start, end],
        )
        count, low, high, total, unsealed = cursor.fetchone()
    problems: list[str] = []
    if unsealed:
        problems.append(_("本月有 %(n)s 条记录尚未封存。") % {"n": unsealed})
    if (count, low, high, int(total)) != (expected[0], expected[1], expected[2], int(expected[3])):
        problems.append(
            _(
                "本月记录与区块不符：实有 %(count)s 条（ID %(low)s–%(high)s），区块记载 %(expected)s 条"
                "（ID %(elow)s–%(ehigh)s）。"
            )
            % {
                "count": count,
                "low": low,
                "high": high,
                "expected": expected[0],
                "elow": expected[1],
                "ehigh": expected[2],
            }
        )
    return problems
