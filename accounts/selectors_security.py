"""Reads of accounts for the security self-checks (secops.selfchecks): dormant accounts and
privileged accounts without a second factor (the city opinion 004 and Lhasa art. 38 日常检查)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import User
from portal.roles import Role, role_group_name

# Roles whose accounts reach other departments' data or the platform's controls.
PRIVILEGED = (Role.BUREAU_ADMIN, Role.BUREAU_REVIEWER, Role.AUDITOR)


def dormant_accounts(*, before: dt.datetime) -> QuerySet[User]:
    """Active accounts not signed in since `before` (never signed in: joined before it)."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(last_login__lt=before) | Q(last_login__isnull=True, date_joined__lt=before))
        .select_related("department")
        .order_by("pk")
    )


def privileged_without_second_factor(roles=PRIVILEGED) -> QuerySet[User]:
    """Active accounts of a privileged role (or superusers) with no confirmed TOTP device."""
    names = [role_group_name(r) for r in roles]
    confirmed = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=names) | Q(is_superuser=True))
        .exclude(pk__in=confirmed)
        .distinct()
        .select_related("department")
        .order_by("pk")
    )
