"""Tests: real PostgreSQL and real Redis (never SQLite or fakes); a fast password hasher."""
from .base import *  # noqa: F401,F403
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
# The master key of encryption at rest lives in a test location, never in the checkout's .data/.
ENCRYPTION["MASTER_KEY_FILE"] = env(
    "ENCRYPTION_MASTER_KEY_FILE", default=f"/tmp/{CACHES['default']['KEY_PREFIX']}-keys/master.key")
