"""Settings of the portal, read from the environment.

Without any environment the portal runs in development mode on an embedded SQLite database.
Production sets at least DJANGO_SECRET_KEY, DJANGO_DEBUG=0, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.directory import backends, ldap_settings, oidc_settings
from portal.storage import storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # django-autocomplete-light before the admin, as its documentation asks (its templates and
    # static files take precedence); select2 and jQuery come from the admin's vendored copies.
    "dal",
    "dal_select2",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "portal.apps.LoginProtectionConfig",  # django-axes, with a Russian name in the admin
    "csp",
    # "portal" before "dbfiles": its dbfiles_import and dbfiles_cleanup commands (refusals)
    # take the place of the library's, which delete files for good.
    "portal",
    "dbfiles",
    # Long work (portal.jobs): the tasks framework (Django 6's django.tasks, backported) and
    # its database backend, whose `manage.py db_worker` processes run the tasks.
    "django_tasks",
    "django_tasks_db",
    # REST API (portal.api): Django REST framework, its OpenAPI schema, Swagger UI vendored
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "registry",
    "roadmaps",
    "segmentation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.SessionIdleMiddleware",
    # OpenID Connect users: their groups asked again after a while (off unless OIDC is on).
    "portal.oidc.OIDCSessionRefresh",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "portal.middleware.BadParameterMiddleware",
    "portal.db.WroteMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during login into the response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "portal.views.accessibility.low_vision",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite is the zero-setup default; production points DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker share one file: a transaction takes the write lock
    # when it begins and waits up to 20 s for it, instead of failing with "database is locked"
    # when a read turns into a write while the worker holds the lock.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

# A PostgreSQL read replica for lists, exports and public pages (portal.db): those read
# there unless the user has just written; everything else reads and writes the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["portal.db.ReplicaRouter"]
# How long after a write a user's pages read the primary (longer than the replica's lag).
REPLICA_LAG_SECONDS = int(os.environ.get("REPLICA_LAG_SECONDS", "10"))
# Whose rows may be read there (not sessions, users or login records: portal.db).
REPLICA_READ_APPS = ("registry", "roadmaps", "segmentation")

# The cache (no page depends on it for correctness): per process by default; shared by every
# web worker with DJANGO_CACHE_URL=redis://host:6379/0 (Django's own Redis backend).
if os.environ.get("DJANGO_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["DJANGO_CACHE_URL"],
        }
    }
# The count of «Мои задачи» in the bar of every page is kept per user this long (portal.tasks).
TASK_COUNT_CACHE_SECONDS = int(os.environ.get("TASK_COUNT_CACHE_SECONDS", "60"))
# Sessions in the database (any web worker reads them); DJANGO_SESSION_ENGINE=cached_db
# reads them through the shared cache first.
SESSION_ENGINE = "django.contrib.sessions.backends." + os.environ.get("DJANGO_SESSION_ENGINE", "db")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "registry.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out user or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Directory sign-in (issue 17): LDAP / Active Directory (LDAP_SERVER_URI, LDAP_*) and OpenID
# Connect (OIDC_RP_CLIENT_ID, OIDC_*), each off unless its variables are set
# (config/directory.py, docs/deployment.md). Their backends come after the portal's own
# passwords, so local accounts (administrators') keep working; django-axes counts their
# failures too. Groups map to roles in «Справочники» ▸ «Группы каталога».
_LDAP = ldap_settings(os.environ)
_OIDC = oidc_settings(os.environ)
globals().update(_LDAP, **_OIDC)
AUTHENTICATION_BACKENDS += backends(_LDAP, _OIDC)
# Login throttling (issue 11): after LOGIN_FAILURE_LIMIT wrong passwords for one user name,
# or from one address whatever the names, that user name or address is refused for
# LOGIN_COOLOFF_MINUTES; an administrator unlocks earlier (admin, or `manage.py axes_reset`).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one alone locks
# Not reset on success: a success under one name would clear the address's failures under others.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "portal.auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.auth.client_ip"
# A failure during a lockout does not start the cool-off again: otherwise one request every
# 14 minutes (even with the right password) would keep any user name locked for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Addresses never locked and never counted (an office network behind one address), as
# comma-separated exact addresses (IPv6 as its /64 network address, see portal.auth).
# Their failures are not recorded at all, under any user name: see README.
AXES_IP_WHITELIST = env_list("LOGIN_NEVER_LOCKOUT_ADDRESSES")
AXES_NEVER_LOCKOUT_WHITELIST = bool(AXES_IP_WHITELIST)
# How many reverse proxies of ours stand in front of gunicorn. 0: the client address is the
# connection's (X-Forwarded-For ignored, a client could write anything there); N: the N-th
# address from the right of X-Forwarded-For, the one our outermost proxy saw. Production
# (DEBUG off) is deployed behind one proxy (README; SECURE_PROXY_SSL_HEADER below trusts
# it), so 1 by default there; 0 with that header trusted fails `check --deploy`
# (portal.checks): every client would be the proxy, and five failures lock out everyone.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0" if DEBUG else "1"))
# Sessions end after this long without a request: a request moves the end forward, writing
# the session at most once per SESSION_REFRESH_SECONDS (portal.middleware.SessionIdleMiddleware).
SESSION_IDLE_TIMEOUT_SECONDS = int(os.environ.get("SESSION_IDLE_TIMEOUT_SECONDS", 8 * 60 * 60))
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_SECONDS
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", 5 * 60))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # the home page: each role's three most urgent tasks
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/Moscow")
USE_I18N = True
# The portal's own catalog: Russian plural forms of every counted phrase (ngettext), compiled
# django.mo committed so that no machine needs gettext's msgfmt (docs/architecture.md).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (evidence of measures): in the database by default, so web workers keep
# nothing on their disks; DJANGO_FILE_STORAGE=s3 and DJANGO_S3_* for object storage.
STORAGES = {
    "default": storage_from_env(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Nothing is stored here any more: evidence files saved here before are copied into the
# storage by migration roadmaps 0007; they are served only by the evidence file view.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
# Evidence of measures (portal.documents): PDF, DOCX, XLSX, ODT, JPEG, PNG up to this size;
# the ZIP-based ones may unpack into no more than EVIDENCE_MAX_UNPACKED_BYTES.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))
EVIDENCE_MAX_UNPACKED_BYTES = int(os.environ.get("EVIDENCE_MAX_UNPACKED_BYTES", 200 * 1024 * 1024))

# django-filter's empty choice (portal.widgets.ALL_CHOICES): a filter panel's «— все —».
FILTERS_EMPTY_CHOICE_LABEL = "— все —"
DJANGO_TABLES2_TEMPLATE = "portal/_table.html"
REGISTRY_PAGE_SIZES = (25, 50, 100, 200)
# A list's export of more rows than this is a background job (progress, file kept for him).
EXPORT_INLINE_ROWS = int(os.environ.get("EXPORT_INLINE_ROWS", "5000"))
# A report's printable page (portal.reports) shows up to this many rows; a longer one is
# offered as XLSX only (written by the task worker above EXPORT_INLINE_ROWS).
REPORT_PAGE_ROWS = int(os.environ.get("REPORT_PAGE_ROWS", "2000"))
# A publication of more rows, and the confirm of an upload of more rows, are jobs with a
# progress bar instead of the web request (docs/benchmarks.md, "Publication and apply").
PUBLISH_INLINE_ROWS = int(os.environ.get("PUBLISH_INLINE_ROWS", "2000"))
IMPORT_INLINE_ROWS = int(os.environ.get("IMPORT_INLINE_ROWS", "500"))
LIST_PAGE_SIZE = 50  # a list's rows per page unless ?per_page= asks for one of the sizes
# Lists count their rows up to this many (portal.pagination): «более 10 000» past it, or
# «около N» without counting where PostgreSQL's planner expects more than this.
LIST_COUNT_CAP = int(os.environ.get("LIST_COUNT_CAP", "10000"))
# Limits for registry spreadsheets taken in (issue 3): file size, rows, unpacked XLSX size.
REGISTRY_IMPORT_MAX_BYTES = int(os.environ.get("REGISTRY_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
REGISTRY_IMPORT_MAX_ROWS = int(os.environ.get("REGISTRY_IMPORT_MAX_ROWS", 50_000))
REGISTRY_IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("REGISTRY_IMPORT_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
)
# The one spreadsheet reader (portal/spreadsheets): its child process's memory and CPU time,
# the text it may return; the rows of a roadmap table (a text table or a spreadsheet).
SPREADSHEET_READER_MEMORY_BYTES = int(
    os.environ.get("SPREADSHEET_READER_MEMORY_BYTES", 1024 * 1024 * 1024)
)
SPREADSHEET_READER_SECONDS = int(os.environ.get("SPREADSHEET_READER_SECONDS", 20))
SPREADSHEET_MAX_CELLS = int(os.environ.get("SPREADSHEET_MAX_CELLS", 4_000_000))
SPREADSHEET_MAX_TEXT_CHARS = int(os.environ.get("SPREADSHEET_MAX_TEXT_CHARS", 50_000_000))
ROADMAP_IMPORT_MAX_ROWS = int(os.environ.get("ROADMAP_IMPORT_MAX_ROWS", 10_000))
# Uploads waiting for a confirm: kept this many days (then `purge_uploads` clears them), and
# at most this many at a time per user.
UPLOAD_RETENTION_DAYS = int(os.environ.get("UPLOAD_RETENTION_DAYS", 7))
UPLOADS_IN_FLIGHT_PER_USER = int(os.environ.get("UPLOADS_IN_FLIGHT_PER_USER", 3))
# The roadmap amendment form posts every item of a plan (9 fields a row): Django's default
# of 1,000 fields would refuse a plan of about a hundred items.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

# Background tasks (portal.jobs): queued in the portal's own database (SQLite or PostgreSQL),
# run by `manage.py db_worker` processes on any number of machines (README). Tests and
# development without a worker may set DJANGO_TASKS_BACKEND to
# django_tasks.backends.immediate.ImmediateBackend (the work runs in the request).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A job's result file is kept this many days (then `purge_jobs` drops its bytes); a job still
# running after JOB_STALE_HOURS is taken as lost with its worker and marked failed.
JOB_RESULT_RETENTION_DAYS = int(os.environ.get("JOB_RESULT_RETENTION_DAYS", 7))
JOB_STALE_HOURS = int(os.environ.get("JOB_STALE_HOURS", 12))
# Stored figures of the whole-country pages (coverage) older than this are recomputed by a
# job the page queues itself (portal.figures).
FIGURES_STALE_MINUTES = int(os.environ.get("FIGURES_STALE_MINUTES", 60))

# REST API (portal.api, docs/architecture.md "The API"): the pages' permissions and filters,
# token or session sign-in, cursor pages, a rate per token; the OpenAPI schema by
# drf-spectacular with Swagger UI from drf-spectacular-sidecar's vendored files (no CDN).
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))  # a new token's default expiry
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "366"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["portal.api.permissions.TokenAccess"],
    "DEFAULT_THROTTLE_CLASSES": ["portal.api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("API_TOKEN_RATE", "1000/hour"),
        "anonymous": os.environ.get("API_ANONYMOUS_RATE", "300/hour"),
    },
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.CursorPages",
    "PAGE_SIZE": int(os.environ.get("API_PAGE_SIZE", "100")),
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API портала клиентоцентричности",
    "DESCRIPTION": (
        "Реестр процессов, дорожные карты и сегментация клиентов с правами страниц портала. "
        "Ключ: «Мои ключи API» на портале или `manage.py create_api_token <логин>`; "
        "заголовок `Authorization: Token <ключ>` (или `Bearer <ключ>`). Открытые данные "
        "(`/api/open-data/`) доступны без ключа."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The groups of Swagger UI, named by the first part of the path, described in Russian.
    "TAGS": [
        {"name": name, "description": description}
        for name, description in (
            ("open-data", "Открытые данные без ключа"),
            ("processes", "Строки реестра процессов"),
            ("versions", "Опубликованные версии реестров"),
            ("proposals", "Предложения об изменении реестра"),
            ("campaigns", "Кампании актуализации"),
            ("organizations", "Органы власти и подразделения"),
            ("catalogue", "Справочник редакций типовой формы"),
            ("roadmaps", "Дорожные карты"),
            ("measures", "Мероприятия дорожных карт"),
            ("segment-profiles", "Профили клиентских сегментов"),
            ("touchpoints", "Точки взаимодействия"),
            ("assessments", "Оценки удовлетворенности"),
        )
    ],
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "portal@localhost")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
# Links in reminder e-mails point here (the address users open the portal at).
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")

# Production hardening; `manage.py check --deploy` is clean once DEBUG is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # The browsers' preload list is for public domains; portals on closed networks opt in
        # with DJANGO_SECURE_HSTS_PRELOAD=1 once their domain qualifies.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): only the portal's own static files run or style a
# page; no inline scripts, handlers or style attributes (templates have none, a test checks).
# data: images are Bootstrap's (select arrows, check marks, the close button) in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Public surveys (segmentation, issue 16): answers taken per client address and per survey in
# a window (portal.ratelimit; per worker without DJANGO_CACHE_URL), and a second answer from
# one browser within SURVEY_REPEAT_DAYS is not counted (a signed cookie). 0 turns a limit off.
SURVEY_RATE_WINDOW_SECONDS = int(os.environ.get("SURVEY_RATE_WINDOW_SECONDS", "600"))
# an MFC's kiosk answers from one address: 30 in 10 minutes is one a 20 seconds
SURVEY_ANSWERS_PER_ADDRESS = int(os.environ.get("SURVEY_ANSWERS_PER_ADDRESS", "30"))
SURVEY_ANSWERS_PER_SURVEY = int(os.environ.get("SURVEY_ANSWERS_PER_SURVEY", "600"))
SURVEY_REPEAT_DAYS = int(os.environ.get("SURVEY_REPEAT_DAYS", "30"))
