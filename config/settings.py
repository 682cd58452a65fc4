"""Settings, all from the environment.

With nothing set the project runs on an embedded PostgreSQL for a laptop (config/localdb).
DATABASE_URL         postgres://user:pass@host:5432/name (default: the embedded server,
                     data in .pgdata/ or DJANGO_EMBEDDED_DB_DIR)
DATABASE_REPLICA_URLS  comma-separated postgres:// URLs of read replicas: the API reads
                     from them (default: none, everything on DATABASE_URL)
DJANGO_SECRET_KEY    required for anything public
DJANGO_DEBUG         "1"/"true" to turn debug on (off unless set)
DJANGO_ALLOWED_HOSTS comma-separated host names (default: localhost, 127.0.0.1, [::1])
DJANGO_CONN_MAX_AGE  seconds to keep database connections open (default: 60)
DJANGO_CONN_HEALTH_CHECKS  "1" to ping a kept connection before each request reuses it
                     (default: off for the API, a round trip per request: the first
                     API request on a connection PostgreSQL
                     dropped gets a 503 and the connection is replaced. The admin's
                     pages always test it first: KeptConnectionCheckMiddleware)
DJANGO_CORS_ALLOWED_ORIGINS  comma-separated origins allowed to call the API from a browser
                     (default: none)
DJANGO_ENV           "development" (default: the laptop) or "production": then
                     DJANGO_SECRET_KEY is required and HTTPS-only settings are on
DJANGO_SECURE_SSL_REDIRECT  production only: redirect http to https (default: true)
DJANGO_API_CACHE_MAX_AGE    seconds a successful API answer may be cached (default: 60)
DJANGO_API_THROTTLE_ANON    requests per client address, e.g. "600/minute" (default);
                     empty turns throttling off
DJANGO_CACHE_URL     redis://host:6379/0: the cache the throttle counts in, shared by
                     every worker and node (default: each process's memory)
DJANGO_LOGIN_FAILURE_LIMIT  wrong admin passwords for one account from one address before
                     it is locked out (default: 5)
DJANGO_LOGIN_COOLOFF_MINUTES  how long a lockout lasts (default: 15)
DJANGO_SESSION_HOURS  how long an editor's admin session lasts from login (default: 9)
DJANGO_TRUSTED_PROXIES  how many reverse proxies in front add X-Forwarded-For (default: 0):
                     the login lockout and the throttle then count by the client's
                     address, not theirs
DJANGO_OTP_REQUIRED  "1": the admin asks a second factor (TOTP or recovery code) of every
                     staff account (default: on in production, off otherwise)
DJANGO_BACKUP_DIR    where `manage.py dbbackup` writes without -O (default: backups/)
DJANGO_DB_CONNECT_TIMEOUT   seconds before a database connection attempt fails (default: 3)
DJANGO_DB_PARALLEL_WORKERS  max_parallel_workers_per_gather for the app's connections
                     (default: 0, no parallel plans; empty: PostgreSQL's setting)
DJANGO_DB_PREPARED_QUERIES  "0" not to prepare the API's hot queries on PostgreSQL, behind
                     a pooler that does not keep prepared statements (default: on)
"""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENT = env_str("DJANGO_ENV", default="development")
if ENVIRONMENT not in ("development", "production"):
    raise ImproperlyConfigured(
        f"DJANGO_ENV={ENVIRONMENT!r}: use development (default) or production"
    )
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set: production refuses to start without a secret key "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))' makes one)"
        )
    # A fixed development key for the laptop; `check --deploy` flags it as insecure.
    SECRET_KEY = "django-insecure-local-development-key-set-DJANGO_SECRET_KEY"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    # Django's admin on a site that can ask for a second factor (interviews/editing/site.py).
    "interviews.editing.apps.EditorsAdminConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    # Failed admin logins counted, accounts locked out (below).
    "axes",
    # manage.py dbbackup / dbrestore (interviews/backups.py).
    "dbbackup",
    "interviews",
]

MIDDLEWARE = [
    # A database that is down is a fast JSON 503 for the API, never a hang or an HTML 500.
    "interviews.middleware.DatabaseUnavailableMiddleware",
    # A rendered DRF response is freed when sent, not left to the garbage collector.
    "interviews.middleware.ReleaseResponseMiddleware",
    # Editors' pages test a kept database connection first (the API does not).
    "interviews.middleware.KeptConnectionCheckMiddleware",
    # The API's reads from a read replica, when there are some.
    "interviews.replicas.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "interviews.middleware.ContentSecurityPolicyMiddleware",
    # Answers compressed when the client accepts gzip: the API's JSON and CSV, and the
    # static files WhiteNoise serves below it (Swagger UI's bundle is 1.6 MB). Above
    # ConditionalGet, so the ETag is the uncompressed body's (weakened, as Django does).
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # ETag on every response; If-None-Match gets a 304 without a body.
    "interviews.middleware.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which device, if any, verified this session (the admin's second factor).
    "django_otp.middleware.OTPMiddleware",
    # Records which user made each change in the history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# PostgreSQL only: full-text search, trigram indexes and the import's COPY are its own.
DATABASE_URL = env_str("DATABASE_URL", default="").strip()
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
    except ValueError:
        DATABASES = {"default": {"ENGINE": ""}}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"DATABASE_URL={DATABASE_URL.split(':', 1)[0]}:…: the project runs on PostgreSQL "
            "only (postgres://user:pass@host:5432/name), or unset for the embedded one"
        )
else:
    # The embedded server (config/localdb), started by the first connection.
    DATABASES = {"default": {"ENGINE": "config.localdb", "NAME": "interviews", "USER": "postgres"}}
DATABASES["default"].update(
    CONN_MAX_AGE=env_int("DJANGO_CONN_MAX_AGE", default=60),
    CONN_HEALTH_CHECKS=env_bool("DJANGO_CONN_HEALTH_CHECKS", default=False),
)
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"]["connect_timeout"] = env_int("DJANGO_DB_CONNECT_TIMEOUT", default=3)
# psycopg prepares the statements of server-binding cursors (the API's hot queries)
# from their second use on a connection; Django's own queries bind on the client and
# are never prepared. None: prepare nothing (a pooler that cannot keep them).
DATABASES["default"]["OPTIONS"]["prepare_threshold"] = (
    1 if env_bool("DJANGO_DB_PREPARED_QUERIES", default=True) else None
)
# Many short queries at once: a parallel plan's extra workers start up for each and take
# the cores other requests are waiting for (searches answered faster without them, in
# bench/RESULTS.md). Set on each new PostgreSQL connection
# (interviews/signals.py; a SET, not a startup option, which poolers may refuse).
# None (empty): PostgreSQL's own setting.
DB_PARALLEL_WORKERS = (
    env_int("DJANGO_DB_PARALLEL_WORKERS", default=0)
    if env_str("DJANGO_DB_PARALLEL_WORKERS", default="0").strip()
    else None
)
# Read replicas: the API's reads go to one that answers (interviews/replicas.py); the
# admin, imports and every write to the primary. A replica that does not answer is left
# out for a few seconds and the primary answers instead.
for number, replica_url in enumerate(env_list("DATABASE_REPLICA_URLS", default=[]), start=1):
    try:
        replica = dj_database_url.parse(replica_url)
    except ValueError:
        replica = {"ENGINE": ""}
    if replica["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URLS: replica {number} is not a postgres:// URL"
        )
    DATABASES[f"replica{number}"] = {
        **replica,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        # A kept connection to a replica is pinged before a request uses it: a replica
        # that went away is then passed over instead of failing the request.
        "CONN_HEALTH_CHECKS": True,
        # The primary's options (timeouts, prepared statements) under the replica URL's own
        # (sslmode and the like, which must not be lost).
        "OPTIONS": {**DATABASES["default"]["OPTIONS"], **replica.get("OPTIONS", {})},
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["interviews.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Backups: `manage.py dbbackup -O FILE`, `manage.py dbrestore -I FILE --noinput`
# (interviews/backups.py: PostgreSQL's pg_dump/pg_restore; a restore of another schema
# version is refused). Without -O they go to DJANGO_BACKUP_DIR (default backups/).
DBBACKUP_CONNECTORS = {"default": {"CONNECTOR": "interviews.backups.Connector"}}
DBBACKUP_DATABASES = ["default"]  # the primary; replicas hold the same rows
BACKUP_DIR = Path(env_str("DJANGO_BACKUP_DIR", default=str(BASE_DIR / "backups")))

# The admin's door (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account
# from one address, that pair is refused with a 429 for the cool-off, before any password
# is hashed (its backend comes first). The count lives in the database, so every worker
# and node sees it; other accounts and addresses are not affected. Failures and lockouts
# are in the admin (Axes); `manage.py axes_reset_username NAME` unlocks an account.
# The admin's second factor (django-otp): a TOTP app or a recovery code after the
# password, required for every staff account in production (DJANGO_OTP_REQUIRED to
# override); optional on a laptop. Enrolment: manage.py otp_enroll USERNAME.
OTP_REQUIRED = env_bool("DJANGO_OTP_REQUIRED", default=PRODUCTION)
OTP_TOTP_ISSUER = "Interview transcripts"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "interviews/locked_out.html"
AXES_VERBOSE = False  # no banner on every command
# Behind reverse proxies every request comes from theirs: with DJANGO_TRUSTED_PROXIES=N
# the client's address is read from X-Forwarded-For (config/proxies.py), so that one
# address locking an account out does not lock it out for everybody.
TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "config.proxies.client_address"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "dbbackup": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(BACKUP_DIR)},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve Swagger UI / ReDoc assets (drf-spectacular-sidecar) even before collectstatic.
WHITENOISE_USE_FINDERS = True

# Browsers on other origins may read the API only from origins named here.
CORS_ALLOWED_ORIGINS = env_list("DJANGO_CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag"]

API_THROTTLE_ANON = env_str("DJANGO_API_THROTTLE_ANON", default="600/minute")

# The cache the throttle counts in (and the schema is kept in): Redis when
# DJANGO_CACHE_URL names one, so every worker and node counts a client's requests
# together; this process's memory otherwise (a laptop, one worker's count each).
CACHE_URL = env_str("DJANGO_CACHE_URL", default="")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"DJANGO_CACHE_URL={CACHE_URL!r}: use redis://host:6379/0 (or leave it unset)"
    )
CACHES = {
    "default": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {
                # Redis down: the cache misses (requests go unthrottled, logged), the API
                # still answers; it is a counter, not data.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Seconds clients and shared caches may keep a successful API answer (Cache-Control).
API_CACHE_MAX_AGE = env_int("DJANGO_API_CACHE_MAX_AGE", default=60)

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "interviews.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # A `format` no renderer offers is a 400 naming it (DRF's is a 404).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "interviews.api.negotiation.ContentNegotiation",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # Read-only: no request body is ever read (OPTIONS lists no parsers).
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "interviews.api.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "interviews.api.schema.AutoSchema",
    # Anonymous clients, by address, counted in the cache (CACHES: shared with Redis).
    "DEFAULT_THROTTLE_CLASSES": (
        ["rest_framework.throttling.AnonRateThrottle"] if API_THROTTLE_ANON else []
    ),
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_ANON or None},
    # The address is REMOTE_ADDR, or the proxies' X-Forwarded-For entry as for the login
    # lock; left unset DRF would take the whole header, which any client can invent.
    "NUM_PROXIES": TRUSTED_PROXIES,
    "EXCEPTION_HANDLER": "interviews.middleware.api_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Interview transcripts API",
    "DESCRIPTION": (
        "Structured interview and press-conference transcripts: events, participants, "
        "media outlets and every turn of speech. Read-only; corrections are made in the admin."
    ),
    "VERSION": "1.0.0",
    "LICENSE": {"name": "BSD-3-Clause", "url": "https://opensource.org/license/bsd-3-clause"},
    # Relative: the server that serves the schema serves the API.
    "SERVERS": [{"url": "/", "description": "This server"}],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "interviews.api.schema.postprocess",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Editors' sessions last a working day from login, not two weeks, and end with the
# browser; cookies are HttpOnly and SameSite=Lax everywhere, Secure in production.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_HOURS", default=9) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # the admin's forms carry the token; no script reads it
CSRF_COOKIE_SAMESITE = "Lax"

# Security headers. nosniff and frame denial always; HTTPS-only settings in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Behind a proxy that terminates TLS and says so.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Only this site's own files: Swagger UI and ReDoc are served locally (sidecar). Both
# style inline and ReDoc starts a worker from a blob, hence those two allowances.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "worker-src": ["'self'", "blob:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", default="INFO")},
}
