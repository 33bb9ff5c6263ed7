"""manage.py backup ARCHIVE: the database, uploaded files and audit chain heads in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from backoffice.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump custom format), MEDIA_ROOT and AUDIT_HEAD_DIR into one archive; "
        "restore it with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", nargs="?", help="archive to write (default: portal-YYYYmmdd-HHMMSS.tar.gz)")

    def handle(self, *args, **options):
        target = Path(options["archive"] or f"portal-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz")
        try:
            result = backup(target)
        except BackupError as exc:
            raise CommandError(f"备份失败 / backup failed: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成 / backup written: {result.path} (database {result.database_bytes} bytes, "
                f"{result.media_files} uploaded files, {result.head_files} audit head files)"
            )
        )
