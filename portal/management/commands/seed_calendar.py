"""Copy the holidays of the installed chinese-calendar into the calendar table (after upgrading it)."""

from django.core.management.base import BaseCommand

from portal.workdays import seed_from_library


class Command(BaseCommand):
    help = "Add chinese-calendar's holidays and make-up days to the table; rows already there are kept."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, help="only these years (default: all it knows)")

    def handle(self, *args, years=None, **options):
        created = seed_from_library(years or None)
        self.stdout.write(f"{created} calendar day(s) added")
