"""A wrong or missing master key: the portal refuses to start, with a clear message."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from protection.encryption import checks as key_checks
from protection.encryption import keys, services
from tests.security.servers import database_url  # the embedded server's socket folder too


def _start_wsgi(key_file, **env) -> subprocess.CompletedProcess:
    """Import the WSGI application in a fresh process, as gunicorn does."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "ENCRYPTION_MASTER_KEY_FILE": str(key_file),
        "ENCRYPTION_GENERATE_MASTER_KEY": "false",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", "import config.wsgi; print('started')"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_wsgi_refuses_to_start_with_a_wrong_or_missing_master_key(tmp_path):
    good = keys.generate_key_file(tmp_path / "good.key")
    with pytest.MonkeyPatch.context() as m:
        m.setitem(settings.ENCRYPTION, "MASTER_KEY_FILE", str(good))
        keys.reset_provider()
        services.forget_keys()
        services.index_key()  # data exists, wrapped by the good key
    keys.reset_provider()
    started = _start_wsgi(good)
    assert started.returncode == 0 and "started" in started.stdout, started.stderr[-2000:]
    missing = _start_wsgi(tmp_path / "nowhere.key")
    assert missing.returncode != 0 and "找不到主密钥文件" in missing.stderr
    wrong = keys.generate_key_file(tmp_path / "wrong.key")
    refused = _start_wsgi(wrong)
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and "主密钥错误或缺失，拒绝启动" in refused.stderr
    # the retired key named as a previous one: it starts (rotate_keys then re-wraps)
    assert _start_wsgi(wrong, ENCRYPTION_PREVIOUS_MASTER_KEY_FILES=str(good)).returncode == 0


@pytest.mark.django_db
def test_database_check_names_the_unknown_master_key(tmp_path, settings):
    from protection.encryption.models import Reencryption, StoredKey

    Reencryption.objects.all().delete()  # keys committed by an interrupted run of other tests
    StoredKey.objects.all().delete()
    services.forget_keys()
    settings.ENCRYPTION = {**settings.ENCRYPTION, "MASTER_KEY_FILE": str(keys.generate_key_file(tmp_path / "a.key"))}
    services.index_key()
    assert not checks.run_checks(tags=[checks.Tags.database], databases=["default"])
    first = keys.provider().key_id()
    settings.ENCRYPTION = {**settings.ENCRYPTION, "MASTER_KEY_FILE": str(keys.generate_key_file(tmp_path / "b.key"))}
    errors = [
        e for e in checks.run_checks(tags=[checks.Tags.database], databases=["default"]) if e.id == "encryption.E002"
    ]
    assert errors and first in errors[0].msg
    with pytest.raises(ImproperlyConfigured, match="拒绝启动"):
        key_checks.verify_at_startup()


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_without_the_right_master_key_stops(tmp_path):
    good = keys.generate_key_file(tmp_path / "good.key")
    with pytest.MonkeyPatch.context() as m:
        m.setitem(settings.ENCRYPTION, "MASTER_KEY_FILE", str(good))
        keys.reset_provider()
        services.forget_keys()
        services.index_key()
    keys.reset_provider()
    wrong = keys.generate_key_file(tmp_path / "wrong.key")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "ENCRYPTION_MASTER_KEY_FILE": str(wrong),
        "ENCRYPTION_GENERATE_MASTER_KEY": "false",
        "CELERY_TASK_DEFAULT_QUEUE": f"h-enc-{os.getpid()}",
    }
    worker = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "warning"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode != 0
    assert "主密钥错误或缺失，拒绝启动" in worker.stderr + worker.stdout
