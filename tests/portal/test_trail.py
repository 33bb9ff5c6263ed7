"""The base records audit entries through portal.trail, which the audit app's plugin fills."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from audit.models import AuditEntry
from audit.services import batched, record
from portal import trail


def test_audit_app_declared_its_writer():
    assert trail.writers() == (record, batched)


@pytest.mark.django_db
def test_trail_record_writes_an_audit_entry():
    trail.record("portal.trail.test", target=("portal.test", "1"))
    assert AuditEntry.objects.filter(action="portal.trail.test", object_id="1").count() == 1


def test_recording_without_a_trail_is_a_configuration_error(monkeypatch):
    # never a silently missing entry: an unconfigured base refuses to run an audited operation
    monkeypatch.setattr(trail, "writers", lambda: None)
    with pytest.raises(ImproperlyConfigured):
        trail.record("portal.trail.test")
    with pytest.raises(ImproperlyConfigured), trail.batched():
        pass
