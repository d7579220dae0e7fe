"""Settings, read from the environment.

Development (``DJANGO_ENV=dev``, which ``make run`` writes into ``.env``, or
``DEBUG=1``) runs with no server at all: SQLite and an embedded Celery broker,
plain HTTP. ``DEBUG`` stays off unless a developer sets ``DEBUG=1`` himself, so
``make run`` shows the Chinese error pages users see. Production (the default)
refuses to start without a ``SECRET_KEY`` and a ``DATABASE_URL``.
"""
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=False)
DEV_MODE = DEBUG or env("DJANGO_ENV", default="production") == "dev"

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEV_MODE:
        raise ImproperlyConfigured("生产环境必须设置 SECRET_KEY 环境变量。")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

if not DEV_MODE and "DATABASE_URL" not in env.ENVIRON:
    raise ImproperlyConfigured("生产环境必须设置 DATABASE_URL 环境变量。")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEV_MODE else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "treebeard",
    "simple_history",
    "axes",
    "import_export",
    "csp",
    "places",
    "organizations",
    "accounts",
    "members",
    "transfers",
    "activity_cards",
    "assistance",
    "cooperation",
    "reports",
    "notifications",
    "jobs",
    "administration",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.request_context.RequestContextMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.request_context.RequestUserMiddleware",
    "config.security_headers.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
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
                "config.navigation.navigation",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleBackend",
]
# Django's hashers, and last the one for the random initial passwords on account slips
# (accounts/passwords.py): never used for a chosen password, re-hashed with the first one at login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "accounts.passwords.InitialPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.CharacterClassValidator"},
]
# The site's address printed on the account slips (e.g. https://dyxt.example.gov.cn/); blank: the address the
# administrator is using when the slips are printed.
SITE_URL = env("SITE_URL", default="")
# In many towns the committee's own 组织委员 keeps the roster: a county may let the committee reviewer export it
# (masked, as the role does not see full personal data). Shown on the accounts page with the role table.
COMMITTEE_REVIEWER_EXPORTS_ROSTER = env.bool("COMMITTEE_REVIEWER_EXPORTS_ROSTER", default=False)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# django-axes: a user name is locked from one address after 5 failures (a
# village office shares one public address: the others there can still log
# in), and everywhere after 20 failures across addresses (accounts/lockout.py).
LOGIN_FAILURES_PER_ADDRESS = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_FAILURES_PER_USERNAME = env.int("AXES_USERNAME_FAILURE_LIMIT", default=20)
AXES_FAILURE_LIMIT = "accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# Serving: WhiteNoise serves the collected files (``manage.py collectstatic``)
# with hashed names, gzip/brotli copies and a one-year cache. In development
# mode it reads them straight from the apps' folders, no collectstatic needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEV_MODE
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEV_MODE
WHITENOISE_AUTOREFRESH = DEV_MODE
# Protected files: with MEDIA_ACCEL_REDIRECT=1 the views that check permission
# answer with an X-Accel-Redirect to nginx's internal location
# MEDIA_ACCEL_PREFIX (aliased to MEDIA_ROOT), and nginx sends the bytes.
MEDIA_ACCEL_REDIRECT = env.bool("MEDIA_ACCEL_REDIRECT", default=False)
MEDIA_ACCEL_PREFIX = env("MEDIA_ACCEL_PREFIX", default="/protected/")
# Uploaded and generated files (card photos, roster exports and imports) are
# personal data: no URL serves MEDIA_ROOT, in development either; views that
# check the user stream them. Do not point the web server at this folder.
MEDIA_URL = "media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@localhost")
# SMTP, used with EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport
# so that the worker and beat run on a machine with no server installed.
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TRACK_STARTED = True
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    _broker_dir = BASE_DIR / "var" / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir),
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# django-csp: scripts, styles and everything else from our own origin only; no
# inline script or style (JavaScript lives in static/js, styles in static/css).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEV_MODE:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the load balancer probes over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

MEMBER_LIST_PAGE_SIZE = 50
# Lists count exactly up to this many rows; above it they show PostgreSQL's estimate (约 980,000 名), so that a
# county's or a province's page does not read its whole scope to count it (organizations/pagination.py).
LIST_EXACT_COUNT_LIMIT = env.int("LIST_EXACT_COUNT_LIMIT", default=20_000)

# Activity cards: numbers are the province code (吉林 = 22) + year + serial.
CARD_PROVINCE_CODE = env("CARD_PROVINCE_CODE", default="22")
CARD_PHOTO_MAX_BYTES = env.int("CARD_PHOTO_MAX_BYTES", default=2 * 1024 * 1024)
CARD_LIST_PAGE_SIZE = 50
# ID-number lookups (member create/update, roster import, inflow) per user and hour, all doors together
# (refused beyond, and logged; see members/id_lookups.py).
ID_LOOKUPS_PER_HOUR = env.int("ID_LOOKUPS_PER_HOUR", default=10)
# Excel rosters: exports above this many rows run as a Celery job with a
# progress bar; imports are refused above these sizes.
ROSTER_EXPORT_SYNC_LIMIT = env.int("ROSTER_EXPORT_SYNC_LIMIT", default=5000)
ROSTER_IMPORT_MAX_BYTES = env.int("ROSTER_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
ROSTER_IMPORT_MAX_UNPACKED_BYTES = env.int("ROSTER_IMPORT_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024)
ROSTER_IMPORT_MAX_ROWS = env.int("ROSTER_IMPORT_MAX_ROWS", default=20000)

# Watching: one line per event on stdout (journald keeps it) with the request
# id, user id and organization id; ID numbers and phone numbers are masked.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "config.logging.RequestContextFilter"}},
    "formatters": {"one_line": {"()": "config.logging.OneLineFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                             "filters": ["request_context"], "formatter": "one_line"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO"), "propagate": False}},
}
# The worker and beat log through LOGGING too, not through Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Errors go to Sentry when SENTRY_DSN is set, with personal data scrubbed (config/sentry.py).
SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="production")
# Health endpoint (/health/): fail when MEDIA_ROOT's disk has less free space than this.
HEALTH_MIN_FREE_DISK_MB = env.int("HEALTH_MIN_FREE_DISK_MB", default=1024)
HEALTH_CELERY_TIMEOUT = env.float("HEALTH_CELERY_TIMEOUT", default=2.0)

# Branches file the quarter's report by this day of the month after the quarter.
REPORT_DEADLINE_DAY = env.int("REPORT_DEADLINE_DAY", default=15)
# Reminders and scans, in Asia/Shanghai time (CELERY_TIMEZONE). The branches'
# report on a quarter is due on this day of the month after the quarter.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "monthly-collection-reminder": {
        "task": "jobs.send_reminders", "args": ("monthly",),
        "schedule": crontab(minute=0, hour=8, day_of_month=1),
    },
    "quarterly-report-reminder": {
        "task": "jobs.send_reminders", "args": ("quarterly",),
        "schedule": crontab(minute=5, hour=8, day_of_month=1, month_of_year="1,4,7,10"),
    },
    "quarterly-report-due-soon": {
        "task": "jobs.send_reminders", "args": ("quarterly",),
        "schedule": crontab(minute=5, hour=8, day_of_month=REPORT_DEADLINE_DAY - 5, month_of_year="1,4,7,10"),
    },
    "daily-inactivity-scan": {"task": "jobs.scan_inactivity", "schedule": crontab(minute=30, hour=2)},
    "daily-deadline-scan": {
        "task": "jobs.send_reminders", "args": ("deadlines",), "schedule": crontab(minute=0, hour=7),
    },
}

# --- Keeping data and scaling (issue 14) ---------------------------------
# Finished roster exports are deleted after this many days (the export stays
# in the access log and in the user's list as 已过期); uploads never confirmed
# after their dry run are deleted after this many days.
EXPORT_FILE_RETENTION_DAYS = env.int("EXPORT_FILE_RETENTION_DAYS", default=7)
IMPORT_UPLOAD_RETENTION_DAYS = env.int("IMPORT_UPLOAD_RETENTION_DAYS", default=1)
CELERY_BEAT_SCHEDULE["daily-file-retention"] = {"task": "jobs.remove_expired_files", "schedule": crontab(minute=15, hour=3)}
# The review page's and the dashboard's stored figures (reports/aggregates.py): recomputed for the
# organizations whose records changed since the last run; pages compute the rest live meanwhile.
CELERY_BEAT_SCHEDULE["figures-refresh"] = {"task": "reports.refresh_figures", "schedule": crontab(minute="*/5")}

# Two queues, so that a county-wide export never delays the nightly scan:
# ``exports`` (roster exports and imports) and ``jobs`` (scans, reminders,
# e-mail, retention). Declared here, a worker started without -Q consumes all.
from kombu import Queue  # noqa: E402

CELERY_TASK_QUEUES = [Queue("exports"), Queue("jobs"), Queue("celery")]
CELERY_TASK_ROUTES = {
    "members.tasks.*": {"queue": "exports"},
    "jobs.*": {"queue": "jobs"},
    "notifications.*": {"queue": "jobs"},
    "reports.refresh_figures": {"queue": "jobs"},
}
# Time limits (seconds) per kind of task: soft raises inside the task, hard kills it.
CELERY_TASK_ANNOTATIONS = {
    "members.tasks.roster_export_run": {"soft_time_limit": 30 * 60, "time_limit": 35 * 60},
    "jobs.scan_inactivity": {"soft_time_limit": 60 * 60, "time_limit": 65 * 60},
    "jobs.send_reminders": {"soft_time_limit": 30 * 60, "time_limit": 35 * 60},
    "jobs.remove_expired_files": {"soft_time_limit": 10 * 60, "time_limit": 12 * 60},
    "reports.refresh_figures": {"soft_time_limit": 10 * 60, "time_limit": 12 * 60},
    "notifications.send_email": {"soft_time_limit": 5 * 60, "time_limit": 6 * 60},
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With Redis, beat holds a lock there (config/beat.py): a second beat started
# by mistake waits instead of sending every job twice. The embedded broker of
# `make run` is one machine's folder: no lock.
CELERY_BEAT_MAX_LOOP_INTERVAL = 60
BEAT_LOCK_TIMEOUT = env.int("BEAT_LOCK_TIMEOUT", default=180)
if REDIS_URL:
    CELERY_BEAT_SCHEDULER = "config.beat:LockedScheduler"

# A read-only copy (streaming replica) for the heavy read-only pages: the
# dashboard, review roll-ups, statistics and exports (config/db_router.py).
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]

# Watching: every beat entry carries its own name, so that the run it starts
# is recorded under that name (jobs/schedule_runs.py, page 定时任务运行情况).
for _entry_name, _entry in CELERY_BEAT_SCHEDULE.items():
    _entry.setdefault("options", {}).setdefault("headers", {})["schedule_entry"] = _entry_name
# A scheduled job counts as late when it has not finished this long after its due time.
SCHEDULE_GRACE_MINUTES = env.int("SCHEDULE_GRACE_MINUTES", default=60)

if SENTRY_DSN:
    from config.sentry import init_sentry  # noqa: E402

    init_sentry(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT)
