"""manage.py verify_audit: re-compute the audit chain and name every entry that was altered,
removed or inserted out of band (A3; seed 004 完整性检查). Exit status 1 when anything is wrong."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.models import AuditEntry
from audit.services.verification import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log and the daily heads recorded outside the database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seal", action="store_true", help="seal final entries first (the periodic job does this every minute)"
        )

    def handle(self, *args, **options):
        if options["seal"]:
            from audit.services.chain import seal

            seal()
        verification, report = verify_chain(trigger="command")
        out = self.stdout
        out.write(
            f"审计日志校验 / audit verification #{verification.pk} "
            f"{timezone.localtime(verification.finished_at):%Y-%m-%d %H:%M:%S}"
        )
        out.write(
            f"  区块 blocks: {report.blocks_checked}  记录 entries: {report.entries_checked}  "
            f"待封存 unsealed: {report.unsealed_entries}"
        )
        if report.last_block_number:
            out.write(f"  链头 head: #{report.last_block_number} {report.last_block_hash}")
        for label, ids in (
            ("ALTERED 被篡改", report.altered),
            ("REMOVED 被删除", report.removed),
            ("INSERTED 被插入", report.inserted),
        ):
            known = {e.pk: e for e in AuditEntry.objects.filter(pk__in=ids[:1000])}
            for entry_id in ids:
                entry = known.get(entry_id)
                what = f" {entry}" if entry is not None else ""
                out.write(f"{label}: entry {entry_id}{what}")
        for problem in report.block_problems:
            out.write(f"BLOCK 区块: {problem}")
        for problem in report.head_problems:
            out.write(f"HEAD 链头: {problem}")
        if not report.ok:
            raise CommandError("审计日志完整性校验未通过 / audit chain verification FAILED", returncode=1)
        out.write(self.style.SUCCESS("审计日志完整性校验通过 / audit chain verified OK"))
