"""Tests: real PostgreSQL and real Redis (never SQLite or fakes); a fast password hasher."""

import os

from .base import *  # noqa: F403
from .base import CACHES, ENCRYPTION, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests share the developer's Redis: keep their keys apart.
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="portal-test")
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="portal-test")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Many tests post the password-reset form from 127.0.0.1 within one hour; the limit's own test sets it low.
PASSWORD_RESETS_PER_HOUR = env.int("PASSWORD_RESETS_PER_HOUR", default=100000)
# Every notify() with a kind the preferences page does not know fails the test that sends it.
NOTIFICATION_KINDS_STRICT = True
# Grant use from many tests (and the race tests' floods) within a minute; the rate limits' own tests
# set them low. Ids start again after a flushing test, so a low limit would carry over between tests.
SHARING["RATE_PER_USER"] = env("SHARING_RATE_PER_USER", default="100000/min")  # noqa: F405
SHARING["RATE_PER_GRANT"] = env("SHARING_RATE_PER_GRANT", default="100000/min")  # noqa: F405
# The master key of encryption at rest lives in a test location, never in the checkout's .data/;
# the portal subprocesses of the tests (other settings modules too) inherit it through the environment.
ENCRYPTION["MASTER_KEY_FILE"] = env(
    "ENCRYPTION_MASTER_KEY_FILE", default=f"/tmp/{CACHES['default']['KEY_PREFIX']}-keys/master.key"
)
_key_given = "ENCRYPTION_MASTER_KEY_FILE" in os.environ  # a test's subprocess may name a missing one
os.environ.setdefault("ENCRYPTION_MASTER_KEY_FILE", ENCRYPTION["MASTER_KEY_FILE"])
if not _key_given and not os.path.exists(ENCRYPTION["MASTER_KEY_FILE"]):  # before any subprocess needs it
    import base64

    os.makedirs(os.path.dirname(ENCRYPTION["MASTER_KEY_FILE"]), exist_ok=True)
    try:
        with open(os.open(ENCRYPTION["MASTER_KEY_FILE"], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as _key:
            _key.write(base64.b64encode(os.urandom(32)) + b"\n")
    except FileExistsError:
        pass
# The tests' PostgreSQL has no TLS: their subprocesses with the production settings connect without.
os.environ.setdefault("DATABASE_SSLMODE", "disable")
