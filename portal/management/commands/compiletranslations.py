"""Compile locale/*/LC_MESSAGES/*.po into .mo with polib (no GNU gettext needed on the machine)."""

from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the portal's translation catalogs (.po → .mo) without GNU gettext."

    def handle(self, *args, **options):
        count = 0
        # The project's catalog and each app's own (<app>/locale), as Django looks them up.
        locale_dirs = [Path(p) for p in settings.LOCALE_PATHS]
        # our apps (protection.* too, one folder down), not the virtualenv's
        base = Path(settings.BASE_DIR)
        locale_dirs += [
            Path(config.path) / "locale"
            for config in apps.get_app_configs()
            if Path(config.path).is_relative_to(base)
            and not Path(config.path).relative_to(base).parts[0].startswith(".")
        ]
        for locale_dir in locale_dirs:
            for po_path in locale_dir.glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                count += 1
        self.stdout.write(f"compiled {count} catalog(s)")
