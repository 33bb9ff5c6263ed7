"""Tongren art. 15(七), Lhasa art. 38/41: the self-check looks at the platform itself — the audit
chain's last verification, backups and restore drills, next year's calendar, the production
settings (Django's deployment checks), certificates and data keys about to expire or overdue."""

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditVerification
from audit.services import record
from portal.models import CalendarYear
from protection.encryption.models import StoredKey
from protection.signatures.models import Certificate, SigningKey
from tests.secops.selfchecks.conftest import run_check

pytestmark = pytest.mark.django_db


def _verified(ok: bool, when: dt.datetime):
    AuditVerification.objects.create(started_at=when, finished_at=when, trigger="test", ok=ok)


def test_a_failed_or_missing_verification_is_found():
    assert run_check("audit_verification")[0].severity == "high"  # never verified
    _verified(False, timezone.now())
    found = run_check("audit_verification")
    assert len(found) == 1 and "未通过" in found[0].detail


def test_a_recent_successful_verification_is_not_found():
    _verified(True, timezone.now() - dt.timedelta(hours=3))
    assert run_check("audit_verification") == []


def test_no_recent_backup_or_drill_is_found():
    codes = {str(f.subject) for f in run_check("backup")}
    assert codes == {"数据备份", "恢复演练"}


def test_a_recent_backup_and_drill_are_not_found():
    record("backoffice.backup", detail={"archive": "x.tar"})
    record("backoffice.restore_drill", detail={"archive": "x.tar"})
    assert run_check("backup") == []


def test_next_year_s_calendar_missing_is_found_and_recorded_is_not():
    next_year = timezone.localdate().year + 1
    CalendarYear.objects.filter(year=next_year).delete()
    found = run_check("calendar")
    # chinese-calendar may know next year already (then nothing is missing)
    from portal.workdays import library_knows

    if library_knows(next_year):
        assert found == []
    else:
        assert len(found) == 1 and str(next_year) in str(found[0].subject)
    CalendarYear.objects.create(year=next_year, source="test")
    assert run_check("calendar") == []


def test_the_test_settings_fail_the_deployment_checks():
    ids = {str(f.subject) for f in run_check("deploy_settings")}
    assert "security.W012" in ids  # SESSION_COOKIE_SECURE off outside production


def test_secure_settings_pass_the_deployment_checks(settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECRET_KEY = "k" * 20 + "Zx9!q@w#e$r%t^y&u*i(o)p_a+s-d=f" + "g" * 10
    ids = {str(f.subject) for f in run_check("deploy_settings")}
    assert not ids & {"security.W012", "security.W016", "security.W008", "security.W004", "security.W009"}


def _certificate(not_after):
    key = SigningKey.objects.create(owner="platform", algorithm="ed25519", public_key="p", wrapped_private=b"w")
    return Certificate.objects.create(
        serial=f"s{key.pk}",
        key=key,
        subject="平台签名证书",
        not_before=timezone.now() - dt.timedelta(days=300),
        not_after=not_after,
        body="{}",
        signature="x",
    )


def test_an_expiring_certificate_and_an_old_key_are_found():
    cert = _certificate(timezone.now() + dt.timedelta(days=5))
    key = StoredKey.objects.create(purpose="table", scope="t", algorithm="aes", wrapped=b"w", master_key_id="m")
    StoredKey.objects.filter(pk=key.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    found = run_check("key_expiry")
    assert [f.severity for f in found if cert.serial in str(f.subject)] == ["medium"]
    assert any(str(key) in str(f.subject) and f.severity == "low" for f in found)


def test_a_valid_certificate_and_a_new_key_are_not_found():
    _certificate(timezone.now() + dt.timedelta(days=300))
    StoredKey.objects.create(purpose="table", scope="t", algorithm="aes", wrapped=b"w", master_key_id="m")
    assert run_check("key_expiry") == []
