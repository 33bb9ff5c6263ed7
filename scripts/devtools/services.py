"""PostgreSQL and Redis together: what a command starts before its work and stops after it."""

from __future__ import annotations

from devtools.common import PGDATA, Fatal, warn
from devtools.postgres import Postgres
from devtools.redis_service import Redis


class Services:
    def __init__(self):
        self.env: dict[str, str] = {}  # DATABASE_URL and REDIS_URL for the children
        self.postgres = Postgres()
        self.redis = Redis()
        self._quiet = False

    @property
    def quiet(self) -> bool:
        return self._quiet

    @quiet.setter
    def quiet(self, value: bool) -> None:
        """Quiet: no messages while stopping (pytest's summary line stays the last line printed)."""
        self._quiet = self.postgres.quiet = self.redis.quiet = value

    def start_postgres(self) -> None:
        self.env["DATABASE_URL"] = self.postgres.start()

    def start_redis(self, persistent: bool, reuse_running: bool = False) -> None:
        self.env["REDIS_URL"] = self.redis.start(persistent, reuse_running)

    def check_alive(self) -> None:
        if not self.redis.alive():
            raise Fatal(
                f"the embedded Redis exited unexpectedly (exit code {self.redis.proc.returncode}); "
                f"see {self.redis.dir / 'redis.log'}"
            )
        if not self.postgres.alive():
            raise Fatal(f"the embedded PostgreSQL exited unexpectedly; see {PGDATA / 'log'}")

    def stop(self) -> None:
        for step in (self.redis.stop, self.postgres.stop):
            try:
                step()
            except Exception as err:  # noqa: BLE001 - keep stopping the others
                warn(f"while stopping services: {err}")
