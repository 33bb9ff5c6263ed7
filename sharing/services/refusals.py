"""Refusing a use of a grant, and recording the refusal (docs/features.md S8, Lhasa art. 41).

A use is checked inside its transaction; a refusal found there (`Refused`) rolls that transaction
back and is then recorded as denied — in the audit log and in the usage log the provider reads —
in a transaction of its own, so the record survives the refusal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from audit.services import record
from portal.errors import DomainError, PermissionDeniedError
from portal.models import User
from sharing.models import Grant, GrantUse


class QuotaExceededError(DomainError):
    """SECURITY.md 14.6: too many uses (a rate limit) or a daily quota used up: HTTP 429 with Retry-After."""

    status_code = 429
    default_message = _("使用过于频繁，请稍后再试。")
    default_code = "throttled"

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        retry_after: int = 60,
        errors: dict | None = None,
    ) -> None:
        super().__init__(message, code=code, errors=errors)
        self.retry_after = max(1, int(retry_after))


class Refused(Exception):
    """A use outside the grant or its limits, found inside the use's transaction; recorded once that
    is rolled back. `error` is the class of the answer: 403 (outside the grant, the default), 400
    (input the grant's mode does not accept) or 429 (QuotaExceededError)."""

    def __init__(
        self,
        grant: Grant,
        code: str,
        message: str,
        detail: dict | None = None,
        *,
        error: type[DomainError] = PermissionDeniedError,
        retry_after: int | None = None,
    ):
        super().__init__(code)
        self.grant, self.code, self.message, self.detail = grant, code, message, detail or {}
        self.error, self.retry_after = error, retry_after

    def answer(self) -> DomainError:
        if issubclass(self.error, QuotaExceededError):
            return self.error(self.message, code=self.code, retry_after=self.retry_after or 60)
        return self.error(self.message, code=self.code)


@contextmanager
def one_use(*, actor: User, mode: str, channel: str) -> Iterator[None]:
    """One use, one transaction (see sharing.services.use._fresh for the grant's row lock). A refusal
    is recorded after that transaction is rolled back, in a transaction of its own."""
    try:
        with transaction.atomic():
            yield
    except Refused as refused:
        deny(actor=actor, grant=refused.grant, mode=mode, channel=channel, code=refused.code, detail=refused.detail)
        raise refused.answer() from None


def deny(*, actor: User, grant: Grant, mode: str, channel: str, code: str, detail: dict | None = None) -> None:
    """Record a refused use of `grant` (which exists) by `actor`, the grant as the audit entry's object."""
    detail = detail or {}
    with transaction.atomic():
        GrantUse.objects.create(
            grant=grant,
            user=actor,
            user_department_id=actor.department_id,
            provider_department_id=grant.provider_department_id,
            mode=mode,
            channel=channel,
            outcome=GrantUse.Outcome.DENIED,
            detail={"code": code, **detail},
        )
        record(
            f"sharing.grant.{mode}",
            actor=actor,
            target=grant,
            outcome="denied",
            detail={"code": code, "channel": channel, **detail},
        )
