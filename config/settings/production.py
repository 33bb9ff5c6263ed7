"""Production (docker compose): secrets and hosts must come from the environment."""

from .base import *  # noqa: F403
from .base import DATABASES, ENCRYPTION, env

SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without one
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Audit (docs/features.md A3): the application's connections SET ROLE to the role that may only INSERT and
# SELECT audit entries; the daily head of the hash chain goes to a persistent volume.
AUDIT_USE_APP_DB_ROLE = env.bool("AUDIT_USE_APP_DB_ROLE", default=True)

# SECURITY.md 14.16: no demo accounts (one published password) in production, whatever the environment says.
DEMO_DATA_ALLOWED = False

# In transit (SECURITY.md "Encryption at rest"): TLS to PostgreSQL. "require" encrypts; "verify-full"
# also checks the server's certificate against DATABASE_SSLROOTCERT and its name against the host.
DATABASES["default"].setdefault("OPTIONS", {})["sslmode"] = env("DATABASE_SSLMODE", default="require")
if env("DATABASE_SSLROOTCERT", default=""):
    DATABASES["default"]["OPTIONS"]["sslrootcert"] = env("DATABASE_SSLROOTCERT")
# Redis: a password always (docker-compose.yml); TLS with a rediss:// REDIS_URL, the server's
# certificate checked against REDIS_SSL_CA_CERTS (Celery's broker and result backend as well).
if env("REDIS_URL", default="").startswith("rediss://"):
    import ssl

    _redis_tls = {"ssl_cert_reqs": ssl.CERT_REQUIRED, "ssl_ca_certs": env("REDIS_SSL_CA_CERTS", default=None)}
    CELERY_BROKER_USE_SSL = _redis_tls
    CELERY_REDIS_BACKEND_USE_SSL = _redis_tls

# Encryption at rest: the master key is never made here; losing it loses the encrypted data.
ENCRYPTION["GENERATE_MASTER_KEY"] = env.bool("ENCRYPTION_GENERATE_MASTER_KEY", default=False)
