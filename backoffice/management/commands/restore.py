"""manage.py restore ARCHIVE: restore a backup into an empty installation, then verify the audit chain.

manage.py restore --drill ARCHIVE: the restore drill, run on the live installation: the archive is
restored into a scratch database and scratch folders that are dropped afterwards, and the drill is
recorded in the live audit log (backoffice.restore_drill), where the self-check finds it."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from backoffice.backup import BackupError, restore, restore_drill


class Command(BaseCommand):
    help = (
        "Restore an archive of `manage.py backup` into an empty installation (an empty database and "
        "empty MEDIA_ROOT / AUDIT_HEAD_DIR), then run verify_audit."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--no-verify", action="store_true", help="skip verify_audit afterwards")
        parser.add_argument(
            "--unencrypted",
            action="store_true",
            help="accept an unencrypted archive of an older version (no integrity check of the file)",
        )

        parser.add_argument(
            "--drill",
            action="store_true",
            help="restore drill: into a scratch database and folders (dropped afterwards), the live data untouched",
        )

    def handle(self, *args, **options):
        if options["drill"]:
            self._drill(options)
            return
        try:
            result = restore(options["archive"], allow_unencrypted=options["unencrypted"])
        except BackupError as exc:
            raise CommandError(f"恢复失败 / restore failed: {exc}") from exc
        self.stdout.write(
            f"数据库已恢复 / database restored; {result.media_files} uploaded files, "
            f"{result.head_files} audit head files; application role privileges "
            f"{'applied' if result.privileges_synced else 'not configured'}"
        )
        if not options["no_verify"]:
            call_command("verify_audit", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(self.style.SUCCESS("恢复完成 / restore complete"))

    def _drill(self, options):
        try:
            result = restore_drill(options["archive"], allow_unencrypted=options["unencrypted"])
        except BackupError as exc:
            raise CommandError(f"恢复演练失败 / restore drill failed: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复演练完成 / restore drill passed: backup of {result.backup_created_at} restored into "
                f"{result.database} ({result.audit_entries} audit entries, {result.media_files} uploaded files, "
                f"{result.head_files} audit head files) in {result.seconds} s; scratch database dropped"
            )
        )
