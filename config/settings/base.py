"""Settings shared by every environment. Everything that differs between machines comes from
environment variables (12-factor, as cookiecutter-django does it)."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "config.staticfiles_app.StaticFilesConfig",  # django.contrib.staticfiles without the unused ReDoc bundle
    "django.contrib.postgres",
    "django.contrib.sitemaps",  # sitemap.xml of the public pages (interop.dcat, issue 17)
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_celery_beat",
    "django_htmx",
    "pgtrigger",
    "bootstrap",
    "portal",
    "audit",
    "accounts",
    "protection.grading",
    "protection.encryption",
    "protection.signatures",
    "catalog",
    "sharing",
    "openness",
    "secops.incidents",
    "secops.detection",
    "secops.selfchecks",
    "interop.dcat",
    "interop.ckan",
    "backoffice",  # the top layer: admin site, backup and restore, the dashboard's pages
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.RequestContextMiddleware",
    # Hechi art. 41: a receipt for each delivery of shared data, from the bytes of the final body.
    "protection.signatures.middleware.ReceiptMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # SECURITY.md 14.15: which sessions passed the second factor (django-otp), then the portal's session
    # rules (absolute lifetime; nothing but the second step for a password-only session).
    "django_otp.middleware.OTPMiddleware",
    "config.middleware.SessionSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # a service's refusal that a page lets through: the error page with its status (portal.pages)
    "config.middleware.DomainErrorPageMiddleware",
    # django-axes must come last (its docs): it turns lock-outs into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# --- Content-Security-Policy (django-csp): no inline or foreign scripts anywhere. Styles allow
# inline style attributes (Bootstrap components, chart layouts); scripts stay strict.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Database: PostgreSQL only -------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/portal")}
# A unix-socket directory arrives percent-encoded in the URL's host (postgres://u@%2Fpath/db).
DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST") or "")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, Celery broker and results ------------------------------------------------
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHE_KEY_PREFIX = env("CACHE_KEY_PREFIX", default="portal")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        "TIMEOUT": 300,
    }
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# django-celery-beat's database scheduler, re-asserting the audit's own jobs (SECURITY.md 14.20, config/beat.py).
CELERY_BEAT_SCHEDULER = "config.beat:RegistryScheduler"
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="portal")

# --- Users, passwords, sign-in --------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # axes first (its docs): it refuses locked-out credentials before any other backend.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.validators.PasswordComplexityValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # SECURITY.md 14.9: validates nothing; Django's password_changed() hook revokes the API tokens and
    # open-data keys of an account whose password changed.
    {"NAME": "accounts.validators.CredentialsEndWithPassword"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Idle sessions expire: every request pushes the expiry forward by this many minutes.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
# API tokens lapse when unused this many days, and in any case this many days after their issue
# (0: never). The holder issues a new one on the tokens page or at /api/auth/token/.
API_TOKEN_IDLE_DAYS = env.int("API_TOKEN_IDLE_DAYS", default=30)
API_TOKEN_MAX_AGE_DAYS = env.int("API_TOKEN_MAX_AGE_DAYS", default=365)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# SECURITY.md 14.15: however active, a session ends this many hours after the password sign-in and the
# user is told why (0: no absolute limit).
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", default=12)
# The name authenticator apps show beside the account (TOTP second factor, django-otp).
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="政务数据共享开放平台")
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock the account after this many failures; unlocked by a bureau admin or after
# the cool-off (0 = only by an admin).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
_cooloff = env.int("LOGIN_LOCKOUT_MINUTES", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=_cooloff) if _cooloff else None
# Lock the account, whatever address the attempts come from (an office behind one NAT address
# must not be locked out by one person's typos): axes.W006 is about IP-only setups.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
# SECURITY.md 14.5: besides the account, the client address: after this many failed sign-ins (web, admin,
# API token) within this many minutes, whatever the user names, the address may not try again until
# the window has passed or a bureau admin unlocks it (/accounts/security/). Higher than the account
# limit: an office behind one NAT address shares it. 0 switches the address limit off.
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
LOGIN_ADDRESS_WINDOW_MINUTES = env.int("LOGIN_ADDRESS_WINDOW_MINUTES", default=30)
AXES_HANDLER = "accounts.lockout.PortalAxesHandler"
# A refused attempt (account or address locked) is not counted again: it neither prolongs the
# lock nor adds failures to the accounts a blocked address keeps trying (lock-out of others).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# SECURITY.md 14.8: the number of proxies of our own in front of the portal (1 behind the production
# proxy): the client address is read from X-Forwarded-For counting that many from the right, by
# portal.request_context.client_ip for the audit log, every throttle and axes alike. 0: REMOTE_ADDR.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "portal.request_context.client_ip"

# django-guardian: no anonymous user row; object permissions live in direct foreign-key tables.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static files: served by the portal itself (whitenoise), never from a CDN --------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# static/vendor/plotly/plotly.min.js: plotly's basic bundle, which names no outside server (its README).
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / ".data" / "media")))
MEDIA_URL = "/media/"

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="portal@example.gov.cn")

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.api.auth.HashedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The schema documents each operation's error answers too (SECURITY.md 14.F: the fuzzer checks them).
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    # SECURITY.md 14.19: JSON only, in every settings module (no browsable API, whose HTML page answered
    # browsers and ?format=api, anonymous callers too); a format or Accept header asking for
    # anything else gets the JSON as well (portal/api/negotiation.py). Swagger UI at /api/docs/ is
    # drf-spectacular's own view with its own renderer.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "portal.api.negotiation.JSONFallbackNegotiation",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # DRF's throttles read the address themselves (get_ident): the same count of trusted proxies as
    # portal.request_context.client_ip (SECURITY.md 14.8; None would take the whole forged header).
    "NUM_PROXIES": AXES_IPWARE_PROXY_COUNT or (1 if env.bool("TRUST_PROXY_HEADERS", default=False) else 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "政务数据共享开放平台 API",
    "DESCRIPTION": "Government data sharing and open data portal. Errors are JSON: "
    '{"detail": message, "code": code, "errors": {field: [messages]}}.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Password reset by e-mail: requests per client address and hour (more are refused with 429).
# The link is valid PASSWORD_RESET_TIMEOUT seconds (Django's default, 3 days); the same timeout
# holds for the confirmation link of a public user's registration.
PASSWORD_RESETS_PER_HOUR = env.int("PASSWORD_RESETS_PER_HOUR", default=10)

# --- Portal rules (settings with the Lhasa values as defaults) -------------------------------
PORTAL = {
    # Lhasa art. 7: catalog updated within 7 working days of a change in law or duties.
    "CATALOG_UPDATE_WORKING_DAYS": env.int("CATALOG_UPDATE_WORKING_DAYS", default=7),
    # Lhasa art. 19: conditional applications reviewed within 5 working days.
    "SHARE_REVIEW_WORKING_DAYS": env.int("SHARE_REVIEW_WORKING_DAYS", default=5),
    # Lhasa art. 23: objections re-checked within 5 working days.
    "OBJECTION_WORKING_DAYS": env.int("OBJECTION_WORKING_DAYS", default=5),
    # SECURITY.md 22.1/22.2: the one range of years the working-day calendar accepts anywhere (pages, API,
    # admin, deadline computations): 2004 is the first year of chinese-calendar's official schedule,
    # 2100 the last any deadline of the portal can plausibly reach. Outside it: HTTP 400.
    "CALENDAR_FIRST_YEAR": env.int("CALENDAR_FIRST_YEAR", default=2004),
    "CALENDAR_LAST_YEAR": env.int("CALENDAR_LAST_YEAR", default=2100),
    # Record audit entries (switched off only by benchmarks that measure the overhead).
    "AUDIT_ENABLED": env.bool("AUDIT_ENABLED", default=True),
    # Trust X-Forwarded-For for the client address (only behind our own proxy): as one trusted
    # proxy when AXES_IPWARE_PROXY_COUNT is 0 (portal.request_context.trusted_proxy_count).
    "TRUST_PROXY_HEADERS": env.bool("TRUST_PROXY_HEADERS", default=False),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

PORTAL_TITLE = _("政务数据共享开放平台")

# --- Hardening (SECURITY.md, the security review) ---
# The Django admin only from these client addresses or networks (CIDR, comma-separated, e.g.
# "10.12.0.0/16,192.0.2.7"); others get 403 and an audit entry. Empty (the default): no restriction.
ADMIN_ALLOWED_NETWORKS = env.list("ADMIN_ALLOWED_NETWORKS", default=[])
# seed_demo creates accounts sharing one published password: production.py turns this off for good.
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=True)
# SECURITY.md 14.13: every response except an anonymous GET/HEAD without credentials is Cache-Control:
# no-store, private (config/cache_control.py); inside whitenoise, so static files keep theirs.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "config.cache_control.PrivateResponsesMiddleware",
)
# After authentication (the refusal names the signed-in actor), inside the audit middleware.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "config.admin_access.AdminAddressMiddleware",
)

# --- Catalog import (SECURITY.md 14.7) ---
# Read through catalog.exchange_import.limits(), which supplies the same defaults when a key is absent.
# The workbook is checked as an archive before anything is unpacked (the datastore's zip-bomb guard),
# read row by row, and imported in one transaction; larger ones by a Celery job with progress.
CATALOG_IMPORT = {
    # Bytes of an uploaded workbook.
    "MAX_BYTES": env.int("CATALOG_IMPORT_MAX_BYTES", default=10 * 1024 * 1024),
    # Bytes it may unpack to (besides the datastore's ratio and member limits).
    "MAX_UNCOMPRESSED_BYTES": env.int("CATALOG_IMPORT_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024),
    # Resource rows of the first sheet and item rows of the second: more refuses the workbook.
    "MAX_ROWS": env.int("CATALOG_IMPORT_MAX_ROWS", default=5000),
    "MAX_ITEM_ROWS": env.int("CATALOG_IMPORT_MAX_ITEM_ROWS", default=100_000),
    # A workbook unpacking to more bytes, or with more resource rows, is imported by a Celery job.
    "SYNC_UNCOMPRESSED_BYTES": env.int("CATALOG_IMPORT_SYNC_UNCOMPRESSED_BYTES", default=1024 * 1024),
    "SYNC_ROWS": env.int("CATALOG_IMPORT_SYNC_ROWS", default=200),
    # A queued import still pending after this many seconds is run by catalog.tasks.resume_imports.
    "RESUME_AFTER_SECONDS": env.int("CATALOG_IMPORT_RESUME_AFTER_SECONDS", default=300),
}

# --- Audit (docs/features.md A1-A5) ---
# Lhasa art. 41: audit entries are kept at least 3 years. Values under 3 are refused (system check
# audit.E001, and the retention job refuses to run).
AUDIT_RETENTION_YEARS = env.int("AUDIT_RETENTION_YEARS", default=3)
# The application's database role (NOLOGIN, created by audit migration 0004): SELECT and INSERT on
# the audit tables, full use of every other table. With AUDIT_USE_APP_DB_ROLE on, each connection
# of the portal runs SET ROLE to it; migrate, flush and the audit maintenance jobs switch back to
# the login role for their DDL. SECURITY.md 14.18: on by default in every settings module (local, test,
# production): a superuser connection could switch the audit triggers off. Off only for a database
# whose login role may not SET ROLE (the portal then warns and runs as the login role).
AUDIT_APP_DB_ROLE = env("AUDIT_APP_DB_ROLE", default="portal_app")
AUDIT_USE_APP_DB_ROLE = env.bool("AUDIT_USE_APP_DB_ROLE", default=True)
# Schemas whose tables the portal creates and drops at run time (the datastore's): after every
# migrate they and their tables belong to the application's role, which needs to replace them.
AUDIT_APP_OWNED_SCHEMAS = env.list("AUDIT_APP_OWNED_SCHEMAS", default=["datastore"])
# Before dropping an expired month, the retention job re-computes every entry's digest unless a full
# verification (verify_audit, daily at 02:30) passed this many hours ago or less and covered the
# month's blocks: then it checks only the month's row count and ids against the blocks (0: always
# the full check).
AUDIT_RETENTION_TRUST_VERIFICATION_HOURS = env.int("AUDIT_RETENTION_TRUST_VERIFICATION_HOURS", default=24)
# Monthly partitions of the entry table are created this many months ahead.
AUDIT_PARTITIONS_AHEAD_MONTHS = env.int("AUDIT_PARTITIONS_AHEAD_MONTHS", default=3)
# At most this many entries per seal run (a run never splits one transaction's entries).
AUDIT_SEAL_BATCH = env.int("AUDIT_SEAL_BATCH", default=20000)
# The daily head of the hash chain is appended to a file here (the auditors keep copies).
AUDIT_HEAD_DIR = Path(env("AUDIT_HEAD_DIR", default=str(BASE_DIR / ".data" / "audit-heads")))
# Larger exports are refused with a request to narrow the filters.
AUDIT_EXPORT_MAX_ROWS = env.int("AUDIT_EXPORT_MAX_ROWS", default=100000)
# GET routes (URL names, shell patterns) whose reads are recorded by the audit middleware when the
# view recorded nothing itself: reads of row data, downloads, exports (A1).
AUDIT_READ_ROUTE_PATTERNS = env.list(
    "AUDIT_READ_ROUTE_PATTERNS",
    default=["*download*", "*export*", "*rows*", "*preview*", "*query*", "*compare*", "*statistic*", "*pull*"],
)
# Records every state-changing request and every refusal that no view recorded (A1); it must see
# the final answer of the inner middleware (CSRF, axes), so it sits right after the request context.
MIDDLEWARE.insert(
    MIDDLEWARE.index("config.middleware.RequestContextMiddleware") + 1, "audit.middleware.AuditCoverageMiddleware"
)

# --- Sharing (docs/features.md S1-S8) ---
# Read through sharing.conf.setting(), which supplies the same defaults when a key is absent.
SHARING = {
    # docs/features.md S5: statistics on a grant suppress groups with fewer rows than this.
    "MIN_GROUP_SIZE": env.int("SHARING_MIN_GROUP_SIZE", default=5),
    # docs/features.md S1: initial state of the bureau's "grant unconditional applications at once" switch (the
    # bureau admin changes it on /sharing/scenarios/; the database row decides afterwards).
    "AUTO_GRANT_UNCONDITIONAL": env.bool("SHARING_AUTO_GRANT_UNCONDITIONAL", default=False),
    # End date of an unconditional application that names none, and the longest grant (days).
    "DEFAULT_GRANT_DAYS": env.int("SHARING_DEFAULT_GRANT_DAYS", default=365),
    "MAX_GRANT_DAYS": env.int("SHARING_MAX_GRANT_DAYS", default=3 * 365),
    # Deadline rows claimed per transaction by the sweep.
    "SWEEP_BATCH": env.int("SHARING_SWEEP_BATCH", default=200),
    # SECURITY.md 14.3: statistics on a grant are refused when fewer rows than this match the filters
    # (the refusal does not say how many do).
    "MIN_FILTERED_ROWS": env.int("SHARING_MIN_FILTERED_ROWS", default=10),
    # SECURITY.md 14.3: 比对 calls per grant, record (key value) and day (guessing a value by trial needs many).
    "COMPARES_PER_RECORD": env.int("SHARING_COMPARES_PER_RECORD", default=10),
    # SECURITY.md 14.6: rate limits of grant use (API and pages; DRF rate format, counted in Redis): per user,
    # and per grant and department. Over them: 429 with Retry-After, recorded as denied.
    "RATE_PER_USER": env("SHARING_RATE_PER_USER", default="60/min"),
    "RATE_PER_GRANT": env("SHARING_RATE_PER_GRANT", default="120/min"),
    # SECURITY.md 14.6: a grant's daily quotas where the provider set none when granting: successful uses,
    # and rows returned by 查阅 and 获取 (Asia/Shanghai days).
    "DAILY_CALLS": env.int("SHARING_DAILY_CALLS", default=10_000),
    "DAILY_ROWS": env.int("SHARING_DAILY_ROWS", default=1_000_000),
}
# Distinct OpenAPI names for the sharing app's choice sets (they share field names with others').
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "ShareApplicationStatusEnum": "sharing.models.Application.Status",
        "ShareGrantStatusEnum": "sharing.models.Grant.Status",
        "ShareObjectionStatusEnum": "sharing.models.Objection.Status",
        "ShareCoordinationStatusEnum": "sharing.models.Coordination.Status",
        "ShareGrantUseOutcomeEnum": "sharing.models.GrantUse.Outcome",
        "ShareDeadlineKindEnum": "sharing.models.Deadline.Kind",
        # The other choice sets whose field names (kind, status, outcome, open_type, share_modes) recur
        # across apps: each gets its own name instead of a hash suffix (drf_spectacular.W001).
        "CatalogDeliveryModeEnum": "catalog.models.DeliveryMode",
        "CatalogOpenTypeEnum": "catalog.models.OpenType",
        "CatalogVersionStatusEnum": "catalog.models.EntryVersion.Status",
        "CatalogLoadStatusEnum": "catalog.models.DataLoad.Status",
        "CatalogDutyChangeKindEnum": "catalog.models.DutyChange.Kind",
        "CatalogUpdateDutyStatusEnum": "catalog.models.UpdateDuty.Status",
        "OpenKindEnum": "openness.models.OpenKind",
        "OpenVersionSourceEnum": "openness.models.DatasetVersion.Source",
        "OpenApplicationStatusEnum": "openness.models.Application.Status",
        "OpenUsageKindEnum": "openness.models.UsageEvent.Kind",
        "CalendarDayKindEnum": "portal.models.CalendarDay.Kind",
        "DepartmentLevelEnum": "portal.models.Department.Level",
        "AuditOutcomeEnum": "audit.models.Outcome",
        "AuditUsageRoleEnum": "audit.models.UsageSummary.Role",
        # catalog's subject category and GB/T 43697's data category are both fields named category
        "CatalogCategoryEnum": "catalog.models.Category",
        "GradeCategoryEnum": "protection.grading.constants.GradeCategory",
    }
)

# --- Security incidents (secops.incidents; Tongren art. 35-37, Sixian art. 39, Lhasa art. 38-39) ---
# Deadlines in clock hours from the report, per level (一般 general, 较大 larger, 重大 major,
# 特别重大 critical): the bureau's first response, and the report to the competent authority
# (the national reporting rules count 较大 and above in one hour). AUTHORITY: who the report is for.
INCIDENTS = {
    "RESPONSE_HOURS": {
        "general": env.int("INCIDENTS_RESPONSE_HOURS_GENERAL", default=24),
        "larger": env.int("INCIDENTS_RESPONSE_HOURS_LARGER", default=4),
        "major": env.int("INCIDENTS_RESPONSE_HOURS_MAJOR", default=2),
        "critical": env.int("INCIDENTS_RESPONSE_HOURS_CRITICAL", default=1),
    },
    "UPWARD_HOURS": {
        "general": env.int("INCIDENTS_UPWARD_HOURS_GENERAL", default=24),
        "larger": env.int("INCIDENTS_UPWARD_HOURS_LARGER", default=1),
        "major": env.int("INCIDENTS_UPWARD_HOURS_MAJOR", default=1),
        "critical": env.int("INCIDENTS_UPWARD_HOURS_CRITICAL", default=1),
    },
    "AUTHORITY": env("INCIDENTS_AUTHORITY", default="市委网信办、市公安局网络安全保卫部门"),
    # Largest evidence file, in bytes (kept encrypted, protection.encryption.files).
    "EVIDENCE_MAX_BYTES": env.int("INCIDENTS_EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024),
}
# Distinct OpenAPI names for the incident register's choice sets (kind, level, status recur across apps).
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "IncidentKindEnum": "secops.incidents.models.Kind",
        "IncidentLevelEnum": "secops.incidents.models.Level",
        "IncidentStatusEnum": "secops.incidents.models.Incident.Status",
        "IncidentActionKindEnum": "secops.incidents.models.Action.Kind",
        "IncidentEvidenceKindEnum": "secops.incidents.models.Evidence.Kind",
        "IncidentContainmentKindEnum": "secops.incidents.models.Containment.Kind",
        "DetectionAlertKindEnum": "secops.detection.models.Alert.Kind",
        "DetectionAlertStatusEnum": "secops.detection.models.Alert.Status",
        "PolicyKindEnum": [("days", "days"), ("text", "text")],
    }
)

# --- Open data (docs/features.md O1-O6) ---
# Read through openness.conf.setting(), which supplies the same defaults when a key is absent.
OPEN_DATA = {
    # Hechi (second document) art. 28, Lhasa art. 19: the provider answers an application for
    # 依申请开放 data within 5 working days (Chinese official calendar).
    "APPLICATION_WORKING_DAYS": env.int("OPEN_DATA_APPLICATION_WORKING_DAYS", default=5),
    # Lhasa art. 30: the bureau's re-review of an answer, in working days.
    "REREVIEW_WORKING_DAYS": env.int("OPEN_DATA_REREVIEW_WORKING_DAYS", default=5),
    # Days an approved application gives access.
    "GRANT_DAYS": env.int("OPEN_DATA_GRANT_DAYS", default=365),
    # Public API calls per minute: per key, per address without a key, per address in all (Redis;
    # the limiter fails open when Redis is down, see openness/ratelimit.py).
    "RATE_KEY_PER_MINUTE": env.int("OPEN_DATA_RATE_KEY_PER_MINUTE", default=600),
    "RATE_ANONYMOUS_PER_MINUTE": env.int("OPEN_DATA_RATE_ANONYMOUS_PER_MINUTE", default=60),
    "RATE_ADDRESS_PER_MINUTE": env.int("OPEN_DATA_RATE_ADDRESS_PER_MINUTE", default=1200),
    "REGISTRATIONS_PER_HOUR": env.int("OPEN_DATA_REGISTRATIONS_PER_HOUR", default=10),
    # SECURITY.md 14.16: API keys expire this many days after creation or renewal (0: never); the owner
    # renews a key on the keys page (/open/keys/) or at POST /api/open/keys/<id>/renew/.
    "API_KEY_DAYS": env.int("OPEN_DATA_API_KEY_DAYS", default=365),
    # Lhasa art. 37: a dataset is marked stale this many days after its promised update was due.
    "STALE_GRACE_DAYS": env.int("OPEN_DATA_STALE_GRACE_DAYS", default=0),
    "UPLOAD_MAX_BYTES": env.int("OPEN_DATA_UPLOAD_MAX_BYTES", default=200 * 1024 * 1024),
}
# Distinct OpenAPI names for the open-data app's choice sets.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "OpenDatasetVersionStatusEnum": "openness.models.DatasetVersion.Status",
        "OpenApplicationStatusEnum": "openness.models.Application.Status",
        "OpenKindEnum": "openness.models.OpenKind",
    }
)

# --- Classification and grading (docs/features.md D1; docs/grading.md) ---
# Lhasa art. 39 分级分类管理, Sixian art. 39 数据分类分级安全防护, Tongren art. 14(四) 数据分类; categories
# of GB/T 43697-2024. Read through protection.grading.conf.setting(), which has the same defaults.
# Items of this level or above are sensitive: masked in every share unless the grant names them
# unmasked, and stored encrypted.
PROTECTION_SENSITIVE_LEVEL = env.int("PROTECTION_SENSITIVE_LEVEL", default=3)
# Entries of this level or above and 重要数据: a conditional share needs the bureau's co-approval, and a
# grant's default end date is this many days away (shorter than SHARING DEFAULT_GRANT_DAYS).
PROTECTION_CO_APPROVAL_LEVEL = env.int("PROTECTION_CO_APPROVAL_LEVEL", default=4)
PROTECTION_CO_APPROVAL_GRANT_DAYS = env.int("PROTECTION_CO_APPROVAL_GRANT_DAYS", default=90)
# 核心数据 is granted outside its providing department only by the bureau administrator.
PROTECTION_CORE_NEEDS_ADMIN = env.bool("PROTECTION_CORE_NEEDS_ADMIN", default=True)
# Only items of this level or below may be opened to the public (1 公开).
PROTECTION_OPEN_MAX_LEVEL = env.int("PROTECTION_OPEN_MAX_LEVEL", default=1)
# Downloads and pulls of data with items of this level or above are audited with their row count, and
# limited to this many rows per grant and day (0: only the sharing quotas).
PROTECTION_AUDITED_LEVEL = env.int("PROTECTION_AUDITED_LEVEL", default=3)
PROTECTION_SENSITIVE_DAILY_ROWS = env.int("PROTECTION_SENSITIVE_DAILY_ROWS", default=0)

# --- Encryption at rest (docs/features.md D2; SECURITY.md "Encryption at rest") ---
# Tongren art. 22 加密存储, Lhasa art. 40 数据加密: sensitive data items, uploaded files and backups
# are encrypted with data keys wrapped by one master key (protection/encryption/keys.py).
ENCRYPTION = {
    # New data loads store the sensitive items (protection.grading.is_sensitive) encrypted.
    "SENSITIVE_ITEMS": env.bool("ENCRYPTION_SENSITIVE_ITEMS", default=True),
    # "sm4-gcm" (国密 SM4, HMAC-SM3 blind indexes) or "aes-256-gcm" (HMAC-SHA-256).
    "ALGORITHM": env("ENCRYPTION_ALGORITHM", default="sm4-gcm"),
    # "file", "env", or the dotted path of a KeyProvider subclass (HSM, KMS).
    "KEY_PROVIDER": env("ENCRYPTION_KEY_PROVIDER", default="file"),
    # The master key file (32 random bytes, base64). Losing it, and every copy, loses the data.
    "MASTER_KEY_FILE": env("ENCRYPTION_MASTER_KEY_FILE", default=str(BASE_DIR / ".data" / "master.key")),
    # For KEY_PROVIDER "env": the variable holding the master key (base64).
    "MASTER_KEY_ENV": env("ENCRYPTION_MASTER_KEY_ENV", default="ENCRYPTION_MASTER_KEY"),
    # The embedded default makes a master key on first run; production settings turn this off.
    "GENERATE_MASTER_KEY": env.bool("ENCRYPTION_GENERATE_MASTER_KEY", default=True),
    # Master keys retired by a rotation, readable until rotate_keys has re-wrapped every data key.
    "PREVIOUS_MASTER_KEY_FILES": env.list("ENCRYPTION_PREVIOUS_MASTER_KEY_FILES", default=[]),
}
# Uploads too big for memory go to disk encrypted as they arrive (protection.encryption.files).
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "protection.encryption.files.EncryptedFileUploadHandler",
]

# --- Signatures and receipts (docs/features.md D3; SECURITY.md "Signatures and receipts", docs/signatures.md) ---
# Hechi art. 40-41 电子签名、数字证书、责任认定, Sixian art. 28: every delivery of shared data gets a
# receipt, receipts are signed in Merkle roots every minute, decisions are signed. Read through
# protection.signatures.conf.setting(), which has the same defaults.
SIGNATURES = {
    # "sm2" (SM2 with SM3, GB/T 39786) or "ecdsa-p256" (ECDSA P-256 with SHA-256). A change issues new
    # keys and key records on their next use; what the old ones signed stays verifiable.
    "ALGORITHM": env("SIGNATURES_ALGORITHM", default="sm2"),
    # Validity in days of the platform's root key record and of each signing key record.
    "ROOT_DAYS": env.int("SIGNATURES_ROOT_DAYS", default=3650),
    "CERTIFICATE_DAYS": env.int("SIGNATURES_CERTIFICATE_DAYS", default=730),
    # A receipt for every delivery (query page, compare, statistics, pull); off only for measurements.
    "RECEIPTS": env.bool("SIGNATURES_RECEIPTS", default=True),
    # Receipts per signed Merkle root at most (one root a minute holds a minute's deliveries).
    "BATCH_SIZE": env.int("SIGNATURES_BATCH_SIZE", default=50_000),
}
# Distinct OpenAPI names for the signatures app's choice sets.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "ReceiptKindEnum": "protection.signatures.models.Receipt.Kind",
        "SignedDecisionKindEnum": "protection.signatures.models.SignedDecision.Kind",
    }
)
