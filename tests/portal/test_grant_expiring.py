"""P2: a grant expiring within 5 working days is announced to its holder, once."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.models import Notification
from sharing.models import Grant
from sharing.services import applications
from sharing.tasks import sweep_expired_grants
from tests.sharing import factories

pytestmark = pytest.mark.django_db


def test_expiring_grant_is_announced_once():
    w = factories.world()
    grant = applications.application_approve(actor=w.provider_officer, application=factories.apply(w))
    Grant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() + dt.timedelta(days=2))
    sweep_expired_grants()  # the real task code, twice
    sweep_expired_grants()
    assert Notification.objects.filter(user=w.applicant, kind="sharing.grant_expiring").count() == 1
    Grant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() + dt.timedelta(days=60))
    other = applications.application_approve(actor=w.provider_officer, application=factories.apply(w))
    assert not Notification.objects.filter(kind="sharing.grant_expiring", key__contains=f":{other.pk}:").exists()
