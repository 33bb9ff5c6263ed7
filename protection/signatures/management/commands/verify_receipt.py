"""manage.py verify_receipt FILE: check an evidence package offline (wraps protection.signatures.verifier)."""

import json

from django.core.management.base import BaseCommand, CommandError

from protection.signatures import verifier


class Command(BaseCommand):
    help = "校验交付回执证据包（离线：只需证据包、数据文件和平台根证书）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="evidence package (ZIP)")
        parser.add_argument("--data", help="the delivered file, to check its digest")
        parser.add_argument("--trust", help="the platform's root certificate (ca.json), obtained independently")
        parser.add_argument("--revocations", help="a newer signed revocation list (revocations.json)")
        parser.add_argument("--at", help="ISO time the certificate must be valid at (default: now)")

    def handle(self, *args, **options):
        try:
            report = verifier.run(
                options["file"],
                data=options["data"],
                trust=options["trust"],
                revocations=options["revocations"],
                at=options["at"],
            )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        if not report.valid:
            raise CommandError(f"{report.status}: {report.message}")
