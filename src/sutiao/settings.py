"""Settings, all from SUTIAO_* environment variables (docs/configuration.md lists them).

The defaults give the embedded platform: SQLite in ./var, in-memory channel layer,
in-process worker, local file storage. Production sets the database URL, Redis, the
broker and S3 storage; nothing here needs editing for that.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from sutiao.core.site import DEFAULT_HOST, DEFAULT_PORT, served_url


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"SUTIAO_{name}") or default


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env("DATA_DIR", str(Path.cwd() / "var"))).resolve()
TESTING = env_bool("TESTING")

DEBUG = env_bool("DEBUG")


def _local_secret(name: str, file_name: str) -> str:
    """A production key comes from the environment; the embedded platform keeps its own,
    made once and stored 0600 in DATA_DIR."""
    key = env(name)
    if key:
        return key
    key_file = DATA_DIR / file_name
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _secret_key() -> str:
    return _local_secret("SECRET_KEY", "secret_key")


SECRET_KEY = _secret_key()
# Encrypts identity numbers at rest; rotate together with a re-encryption job.
FIELD_ENCRYPTION_KEY = env("FIELD_KEY", SECRET_KEY)
# Keys the audit chain (HMAC-SHA256): a key of its own, never the secret key, so that whoever
# can write the database cannot recompute the chain (docs/configuration.md).
AUDIT_KEY = _local_secret("AUDIT_KEY", "audit_key")

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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
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
    "sutiao.web",
    "sutiao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sutiao.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sutiao.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
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
        "DIRS": [],
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

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
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
    {"NAME": "sutiao.accounts.passwords.MixedCharactersValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out: five failures for one username lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(env("LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(env("LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = ["username"]
# The account is what locks: courts sit behind one NAT address, so locking by address would
# lock a whole court out. Address-based rate limits belong to the reverse proxy.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sutiao.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True

OTP_TOTP_ISSUER = "Sutiao 诉调"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
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
MAX_FILE_MB = int(env("MAX_FILE_MB", "50"))  # one uploaded file
MAX_CASE_MB = int(env("MAX_CASE_MB", "500"))  # all files of one case
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
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
            "CONFIG": {"hosts": [CHANNEL_LAYER_URL]},
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
SIGNER_CERT_DAYS = int(env("SIGNER_CERT_DAYS", "730"))
VERIFY_MAX_MB = int(env("VERIFY_MAX_MB", "20"))  # a PDF uploaded for verification
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
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},  # subsetting fonts for every PDF
        "weasyprint": {"level": "WARNING"},  # a progress line for every step of a PDF
        # A tampered PDF uploaded for verification is a verdict, not an incident.
        "pyhanko.sign.diff_analysis": {"level": "ERROR"},
    },
}
