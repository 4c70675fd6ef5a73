"""Settings, all from SUTIAO_* environment variables (docs/configuration.md lists them).

The defaults give the embedded platform: SQLite in ./var, in-memory channel layer,
in-process worker, local file storage. Production sets the database URL, Redis, the
broker and S3 storage; nothing here needs editing for that.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from sutiao.core.files import DIR_MODE, FILE_MODE, private_dir, restrict_umask
from sutiao.core.site import DEFAULT_HOST, DEFAULT_PORT, served_url

# Whatever the platform creates (database, uploads, keys, checkpoints) is its user's alone.
restrict_umask()


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"SUTIAO_{name}") or default


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = private_dir(Path(env("DATA_DIR", str(Path.cwd() / "var"))).resolve())
TESTING = env_bool("TESTING")

DEBUG = env_bool("DEBUG")
# bench/run's floor endpoints under /bench/floor/ (sutiao.web.bench_floor): for a bench server only.
BENCH_FLOOR = env_bool("BENCH_FLOOR")
# Production: a deployment on PostgreSQL (or SUTIAO_PRODUCTION=1), never DEBUG or the tests.
# It must bring its keys from the environment; the embedded SQLite platform makes its own.
PRODUCTION = env_bool(
    "PRODUCTION",
    not DEBUG and not TESTING and not env("DATABASE_URL", "sqlite:").startswith("sqlite:"),
)


def _local_secret(name: str, file_name: str) -> str:
    """A production key comes from the environment; the embedded platform keeps its own,
    made once and stored 0600 in DATA_DIR."""
    key = env(name)
    if key:
        return key
    key_file = DATA_DIR / file_name
    if key_file.exists():
        return key_file.read_text().strip()
    private_dir(DATA_DIR)
    key = secrets.token_urlsafe(50)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def _required_in_production(name: str, what: str) -> None:
    if PRODUCTION and not env(name):
        raise ImproperlyConfigured(
            f"SUTIAO_{name} is not set. {what} In production (a PostgreSQL database, DEBUG off, "
            "not SUTIAO_TESTING) it must come from the environment: see docs/security.md."
        )


def _secret_key() -> str:
    return _local_secret("SECRET_KEY", "secret_key")


SECRET_KEY = _secret_key()
_required_in_production(
    "MASTER_KEY",
    "The master key wraps the data key of every identity number and phone number at rest.",
)
_required_in_production(
    "FIELD_KEY", "The index key keys the look-up hashes of identity and phone numbers."
)
# The master key (envelope encryption, core/crypto.py): wraps a data key per value. The
# embedded platform generates one into $DATA_DIR/master_key (0600) and says so once.
_had_master_key = bool(env("MASTER_KEY")) or (DATA_DIR / "master_key").exists()
MASTER_KEY = _local_secret("MASTER_KEY", "master_key")
if not _had_master_key and not TESTING:
    print(  # noqa: T201 - said once, when the key is made
        f"sutiao: generated a master key into {DATA_DIR / 'master_key'} (0600); "
        "back it up apart from the database, or set SUTIAO_MASTER_KEY",
        file=sys.stderr,
    )
# Earlier master keys, comma-separated, kept while `sutiao keys rotate` re-wraps the data keys.
MASTER_KEYS_OLD = env_list("MASTER_KEYS_OLD")
# The cipher of new values: "aes" (AES-256-GCM) or "sm4" (SM4-CBC + HMAC-SM3, gmssl).
CIPHER = env("CIPHER", "aes")
if CIPHER not in {"aes", "sm4"}:
    raise ImproperlyConfigured(f"SUTIAO_CIPHER={CIPHER!r}: use aes or sm4")
# The index key: keys the look-up HMACs (and opens values written before envelope encryption).
FIELD_ENCRYPTION_KEY = env("FIELD_KEY", SECRET_KEY)
# Keys the audit chain (HMAC-SHA256): a key of its own, never the secret key, so that whoever
# can write the database cannot recompute the chain (docs/configuration.md).
AUDIT_KEY = _local_secret("AUDIT_KEY", "audit_key")
# Signed checkpoints of the audit chain, outside the database (audit/checkpoint.py): put the
# directory on another disk or host than the database, the signing key apart from both.
AUDIT_CHECKPOINT_DIR = Path(env("AUDIT_CHECKPOINT_DIR", str(DATA_DIR / "audit-checkpoints")))
AUDIT_SIGNING_KEY_FILE = Path(
    env("AUDIT_SIGNING_KEY_FILE", str(DATA_DIR / "audit_signing_key.pem"))
)
AUDIT_CHECKPOINT_HOURS = float(env("AUDIT_CHECKPOINT_HOURS", "24"))
# Audit entries are kept at least this long (GB/T 22239-2019 8.1.4.3: six months); nothing in
# the platform deletes them, and the database refuses UPDATE and DELETE (audit/guard.py).
AUDIT_RETENTION_DAYS = max(int(env("AUDIT_RETENTION_DAYS", "183")), 183)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Links in SMS, e-mail and documents; unset: the address `sutiao serve` listens on (the
# command puts its own --host/--port here when they differ from SUTIAO_HOST/SUTIAO_PORT).
SITE_URL = env("SITE_URL") or served_url(env("HOST", DEFAULT_HOST), env("PORT", str(DEFAULT_PORT)))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Our names for these packages' admin sections (sutiao.web.third_party_apps).
    "sutiao.web.third_party_apps.OTPConfig",
    "sutiao.web.third_party_apps.TOTPConfig",
    "channels",
    "ninja",
    "sutiao.core",
    "sutiao.audit",
    "sutiao.institutions",
    "sutiao.accounts",
    "sutiao.roster",
    "sutiao.workdays",
    "sutiao.cases",
    "sutiao.documents",
    "sutiao.delivery",
    "sutiao.agreements",
    "sutiao.judicial",
    "sutiao.web.third_party_apps.OAuth2ProviderConfig",
    "sutiao.docking",
    "sutiao.meetings",
    "sutiao.batches",
    "sutiao.training",
    "sutiao.evaluation",
    "sutiao.reports",
    "sutiao.casebook",
    "sutiao.subsidies",
    "sutiao.web",
    "sutiao.demo",
]

MIDDLEWARE = [
    "sutiao.core.streaming.AsyncFileStreamingMiddleware",  # outermost: static files too
    "django.middleware.security.SecurityMiddleware",
    "sutiao.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sutiao.accounts.middleware.SessionLimitsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sutiao.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sutiao.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "sutiao.urls"
WSGI_APPLICATION = "sutiao.wsgi.application"
ASGI_APPLICATION = "sutiao.asgi.application"
# The periodic jobs `sutiao serve` starts in-process (core names no domain, so it looks them up).
SCHEDULER = "sutiao.scheduler.start"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Overrides of the Django admin's own templates (its stylesheet and script for
        # accessibility); an app's templates/admin/ would lose to django.contrib.admin's.
        "DIRS": [PACKAGE_DIR / "web" / "admin_templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sutiao.web.context.navigation",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL in production and CI.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'sutiao.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer commits; IMMEDIATE makes a write
        # transaction take its lock at BEGIN, so two writers queue instead of deadlocking.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file too (one per process): an in-memory database shared between threads
    # answers "table is locked" at once instead of waiting, unlike the real platform.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
elif env_bool("DB_POOL"):
    # Under ASGI Django does not reuse connections; a pool keeps PostgreSQL within its limits.
    DATABASES["default"]["OPTIONS"] = {"pool": {"min_size": 2, "max_size": 10}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# The password backend behind the lock-out (accounts/backends.py): every log-in form counts.
AUTHENTICATION_BACKENDS = ["sutiao.accounts.backends.LockoutModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # GB/T 22239-2019 8.1.4.1: three of four character classes, not the user name, not one
    # of the last five passwords (accounts/passwords.py).
    {"NAME": "sutiao.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "sutiao.accounts.passwords.NotUsernameValidator"},
    {"NAME": "sutiao.accounts.passwords.HistoryValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out (accounts/lockout.py): five failures for one user name *from one address* lock that
# pair for 30 minutes, in the cache; a stranger cannot lock the owner out, and the owner unlocks
# with a one-time code to the phone or e-mail. Counters, codes and throttles live in the cache:
# with several server processes, set SUTIAO_CACHE_URL (Redis) so that they share them.
LOCKOUT_FAILURES = int(env("LOCKOUT_FAILURES", "5"))
LOCKOUT_SECONDS = int(float(env("LOCKOUT_HOURS", "0.5")) * 3600)
# Reverse proxies in front of the platform: the client address is the one the outermost saw.
PROXY_COUNT = int(env("PROXY_COUNT", "0"))
# Unlock codes go by SMS through IDENTITY_CODE_SENDER (below), as identity codes do.
CACHE_URL = env("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    )
}

OTP_TOTP_ISSUER = "Sutiao 诉调"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
# Everyone who acts for an institution (accounts.roles.SECOND_FACTOR_ROLES): the session ends
# after this many minutes without a request, and this many hours after the log-in at most.
STAFF_IDLE_MINUTES = int(env("STAFF_IDLE_MINUTES", "30"))
STAFF_SESSION_HOURS = int(env("STAFF_SESSION_HOURS", "12"))
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    # The platform's host and its subdomains are HTTPS only; preload only allows submitting
    # the domain to the browsers' list, which the operator decides (docs/deployment.md).
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Languages: Chinese first, English complete.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"  # shown; stored in UTC
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = not env_bool("STATIC_COLLECTED")
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_PERMISSIONS = FILE_MODE
FILE_UPLOAD_DIRECTORY_PERMISSIONS = DIR_MODE
MAX_FILE_MB = int(env("MAX_FILE_MB", "50"))  # one uploaded file
MAX_CASE_MB = int(env("MAX_CASE_MB", "500"))  # all files of one case
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

STORAGES = {
    # Stored files are encrypted on the disk (core/storage.py, docs/security.md).
    "default": {"BACKEND": "sutiao.core.storage.EncryptedFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env("STORAGE") == "s3":
    # MinIO or any S3-compatible store; needs `pip install django-storages[s3]`.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET", "sutiao"),
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "access_key": env("S3_ACCESS_KEY"),
            "secret_key": env("S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
if env_bool("STATIC_COLLECTED"):
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

CHANNEL_LAYER_URL = env("CHANNEL_LAYER", "memory")
if CHANNEL_LAYER_URL.startswith("redis"):
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # The layer blocks on BZPOPMIN for 5 s; redis-py 8 also times reads out at 5 s by
            # default, so under load a socket's read died mid-wait and took the page's live
            # channel with it (seen in tests/reliability/test_deployment.py). Read longer.
            "CONFIG": {"hosts": [{"address": CHANNEL_LAYER_URL, "socket_timeout": 30}]},
        }
    }
else:
    # In-process; safe to push to from the embedded worker's thread (sutiao.web.layers).
    CHANNEL_LAYERS = {"default": {"BACKEND": "sutiao.web.layers.InMemoryChannelLayer"}}

# Empty: the in-process worker delivers outbox events; set to a Redis/AMQP URL for Celery.
BROKER_URL = env("BROKER_URL")

# Electronic service (docs/delivery.md): e-mail over SMTP (EMAIL_HOST, EMAIL_PORT and
# DEFAULT_FROM_EMAIL are set below with the one-time codes' mail), SMS through a gateway backend.
EMAIL_HOST_USER = env("EMAIL_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "30"))
# "smtp" once SUTIAO_EMAIL_HOST is set; until then served e-mail is kept in $DATA_DIR/mail/
# (recorded as sent, never as arrived: it reached nobody's mailbox).
DELIVERY_EMAIL_BACKEND = env("DELIVERY_EMAIL_BACKEND", "smtp" if env("EMAIL_HOST") else "file")
SMS_BACKEND = env("SMS_BACKEND", "local")  # "local", "http", or a dotted class path
SMS_URL = env("SMS_URL")  # the HTTP JSON gateway's submit endpoint
SMS_KEY = env("SMS_KEY")
SMS_RECEIPT_TOKEN = env("SMS_RECEIPT_TOKEN")  # the gateway sends it with delivery receipts
SMS_SIGNATURE = env("SMS_SIGNATURE", "【诉调平台】")
DELIVERY_MAX_ATTEMPTS = int(env("DELIVERY_MAX_ATTEMPTS", "8"))
# A mediation period whose end was computed with a provisional holiday year ends only this many
# days after that end while the year is still not entered: the official schedule moves an end
# by at most the length of a holiday block (9 days: Spring Festival 2026).
PROVISIONAL_EXPIRY_GRACE_DAYS = int(env("PROVISIONAL_EXPIRY_GRACE_DAYS", "10"))
DELIVERY_BACKOFF_SECONDS = float(env("DELIVERY_BACKOFF_SECONDS", "30"))
DELIVERY_BACKOFF_MAX_SECONDS = float(env("DELIVERY_BACKOFF_MAX_SECONDS", "3600"))
DELIVERY_LEASE_SECONDS = float(env("DELIVERY_LEASE_SECONDS", "120"))
DELIVERY_POLL_SECONDS = float(env("DELIVERY_POLL_SECONDS", "2"))

# Documents: signer certificates come from the platform's own CA (in the database, its key
# encrypted with FIELD_KEY) unless a production CA is configured (docs/configuration.md).
CA_NAME = env("CA_NAME", "诉调平台电子签名根证书")
CA_BACKEND = env("CA_BACKEND")  # dotted path of a sutiao.documents.pki.Issuer
CA_CERT_FILE = env("CA_CERT_FILE")
CA_KEY_FILE = env("CA_KEY_FILE")
CA_KEY_PASSWORD = env("CA_KEY_PASSWORD")
CA_CHAIN_FILE = env("CA_CHAIN_FILE")
CA_TRUST_FILES = env_list("CA_TRUST_FILES")
# RFC 3161 timestamps on signatures and documents (documents/timestamps.py, PAdES B-LTA): an
# HTTP TSA (TSA_URL), or by default the platform's own (TSA=platform); TSA=off: none.
TSA_URL = env("TSA_URL")
TSA = env("TSA", "platform")
SIGNER_CERT_DAYS = int(env("SIGNER_CERT_DAYS", "730"))
VERIFY_MAX_MB = int(env("VERIFY_MAX_MB", "20"))  # a PDF uploaded for verification
# Public verification: requests per client address and minute (then 429), and how long a
# verdict is kept per document hash (pyHanko takes seconds of CPU per document).
VERIFY_PER_MINUTE = int(env("VERIFY_PER_MINUTE", "20"))
VERIFY_CACHE_SECONDS = int(env("VERIFY_CACHE_SECONDS", "3600"))
# One-time codes for signing: e-mail through Django's backend (SMTP in production; the
# embedded default prints to the console), SMS through a sender class (agreements/otp.py).
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "noreply@sutiao.local")
SMS_SENDER = env("SMS_SENDER")  # dotted path; default: delivery's SMS gateway (agreements/otp.py)
# Identity verification (实名认证, OLR 7; docs/identity.md): "local" (format checks only) or
# the dotted path of an external service's adapter; the one-time code goes by SMS.
IDENTITY_VERIFIER = env("IDENTITY_VERIFIER", "local")
IDENTITY_CODE_SENDER = SMS_SENDER or "sutiao.agreements.otp.DeliverySmsSender"
# An invitation to join a case (cases.actions.invitations): its link is valid this long.
INVITATION_VALID_DAYS = int(env("INVITATION_VALID_DAYS", "15"))
DOCUMENT_FONT_SERIF = env("DOCUMENT_FONT_SERIF")  # default: Noto Serif SC from pylopdf-fonts-zh-cn
DOCUMENT_FONT_SANS = env("DOCUMENT_FONT_SANS")

NINJA_PAGINATION_PER_PAGE = 50
# Bounded limit and offset (422 outside them) for every `@paginate` list.
NINJA_PAGINATION_CLASS = "sutiao.core.api.Pagination"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "sutiao.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},  # subsetting fonts for every PDF
        "weasyprint": {"level": "WARNING"},  # a progress line for every step of a PDF
        # A tampered PDF uploaded for verification is a verdict, not an incident.
        "pyhanko.sign.diff_analysis": {"level": "ERROR"},
    },
}

# Docking (docs/docking.md): OAuth 2.0 client credentials for other platforms; a partner's
# token carries only the scopes registered for it.
OAUTH2_PROVIDER = {
    "SCOPES": {
        "applications:write": "Submit mediation applications",
        "applications:read": "Read the status of applications sent",
        "events:read": "Read the event feed",
    },
    "OAUTH2_VALIDATOR_CLASS": "sutiao.docking.oauth.PartnerValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,  # nosec B105 (docs/security-findings.md)
    # RFC 9700 (OAuth 2.0 Security BCP) throughout: partners use client credentials only, so
    # nothing here is lost, and `sutiao check --deploy` is clean (tests/security).
    **{
        f"COMPLIANT_BCP_RFC9700_{name}": True
        for name in (
            "IMPLICIT_GRANT",
            "PASSWORD_GRANT",
            "PKCE_METHOD",
            "ACCESS_TOKEN_TRANSPORT",
            "AUTHZ_RESPONSE_ISS",
            "TOKEN_STORAGE",
            "REFRESH_TOKEN",
            "REDIRECT_URI_SCHEME",
            "REDIRECT_URI_MATCHING",
            "PKCE_REQUIRED",
        )
    },
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,  # nosec B105 (docs/security-findings.md)
    "REFRESH_TOKEN_REUSE_PROTECTION": True,  # nosec B105 (docs/security-findings.md)
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "PKCE_REQUIRED": True,
}
# The swappable models' names, spelled out: migrations that point at them resolve them here.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # nosec B105 (docs/security-findings.md)
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # nosec B105 (docs/security-findings.md)
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # nosec B105 (docs/security-findings.md)
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"

# meetings: where the media of a session go (docs/meetings.md, docs/deployment.md "Janus").
# "mesh" (browser to browser) or "janus" (the SFU, reached over HTTP by the platform and over
# WebSocket by the browsers).
MEETINGS_PROVIDER = env("MEETINGS_PROVIDER", "mesh")
JANUS_URL = env("JANUS_URL", "http://127.0.0.1:8088/janus")
JANUS_WS_URL = env("JANUS_WS_URL", "ws://127.0.0.1:8188")
JANUS_ADMIN_KEY = env("JANUS_ADMIN_KEY", "")
# Where Janus writes recordings (.mjr), the same path on Janus and the app servers; empty: $DATA_DIR/janus-recordings.
JANUS_REC_DIR = env("JANUS_REC_DIR", "")
# LiveKit (MEETINGS_PROVIDER=livekit): its wss:// URL, API key and secret (docs/deployment.md).
LIVEKIT_URL = env("LIVEKIT_URL", "")
LIVEKIT_API_KEY = env("LIVEKIT_API_KEY", "")
LIVEKIT_API_SECRET = env("LIVEKIT_API_SECRET", "")
# The platform ends a scheduled session this many minutes after its end time, whatever the
# provider (the scheduler's meetings.end job; docs/meetings.md).
MEETINGS_END_GRACE_MINUTES = int(env("MEETINGS_END_GRACE_MINUTES", "10"))
# TURN (coturn's shared-secret REST scheme, `use-auth-secret`): comma-separated turn:/turns:
# URLs and the static-auth-secret; each participant gets credentials valid TURN_TTL seconds.
TURN_URLS = env_list("TURN_URLS")
TURN_SECRET = env("TURN_SECRET", "")
TURN_TTL = int(env("TURN_TTL", "3600"))
# Media only through TURN (iceTransportPolicy "relay"): nobody learns another's IP address.
TURN_RELAY_ONLY = env_bool("TURN_RELAY_ONLY", False)
