"""manage.py rotate_keys [--reencrypt [--table T ...]] [--batch N] [--pause S]

Re-wraps every data key with the current master key; with --reencrypt also moves the data
tables' encrypted values to new data keys, resumably (run it again after an interruption: it
goes on where it stopped) and without downtime (SECURITY.md "Encryption at rest")."""

from django.core.management.base import BaseCommand, CommandError

from protection.encryption import keys, rotation


class Command(BaseCommand):
    help = "Re-wrap data keys with the current master key; --reencrypt re-encrypts data tables under new data keys."

    def add_arguments(self, parser):
        parser.add_argument("--reencrypt", action="store_true", help="also re-encrypt the data tables")
        parser.add_argument("--table", action="append", default=[], help="only this data table (repeatable)")
        parser.add_argument("--batch", type=int, default=5000, help="rows per transaction (default 5000)")
        parser.add_argument("--pause", type=float, default=0.0, help="seconds to wait between batches")

    def handle(self, *args, reencrypt=False, table=(), batch=5000, pause=0.0, verbosity=1, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        try:
            count = rotation.rewrap(progress=self._say if verbosity > 1 else None)
            self.stdout.write(f"re-wrapped {count} data key(s) with master key {keys.provider().key_id()}")
            if not reencrypt:
                return
            for name in table or rotation.tables_to_reencrypt():

                def progress(job, rate, name=name):
                    if verbosity:
                        self.stdout.write(
                            f"{name}: {job.rows_done} rows re-encrypted (up to _row {job.last_row}), {rate:.0f} rows/s"
                        )
                        self.stdout.flush()

                job = rotation.reencrypt_table(name, batch=batch, pause=pause, progress=progress)
                self.stdout.write(f"{name}: done, {job.rows_done} rows under data key #{job.new_key_id}")
        except keys.EncryptionError as exc:
            raise CommandError(str(exc)) from None

    def _say(self, text):
        self.stdout.write(text)
