"""P4: the audit pages are in Simplified Chinese by default and in English when switched."""

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_catalog(settings):
    call_command("compiletranslations", verbosity=0)
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)  # reloads the catalogs, the audit app's included


def test_the_audit_log_in_chinese_and_in_english(client, auditor, english_catalog):
    client.force_login(auditor)
    body = client.get(reverse("audit_log")).content.decode()
    assert "审计日志" in body and "起始时间" in body and "导出 Excel" in body
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("audit_log")).content.decode()
    assert "Audit log" in body and "From" in body and "Export Excel" in body and "Clear filters" in body
    body = client.get(reverse("audit_log"), {"since": "someday"}).content.decode()
    assert "Enter a valid date or time" in body
    body = client.get(reverse("audit:integrity")).content.decode()
    assert "Audit log integrity" in body and "Not verified yet." in body
