"""Settings, read from the environment (README.md lists the variables).

The embedded default needs nothing: SQLite, and Celery running tasks in-process. Set
DATABASE_URL and REDIS_URL for PostgreSQL and Redis.
"""

import datetime as dt
import ipaddress
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from resettle.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# Django's debug pages (a traceback for a 500, the routes for a 404) and the browsable API are
# for a developer who asks for them with DEBUG=1; everyone else, `make run` included, sees the
# site's own error pages (resettle.error_pages).
DEBUG = env_bool("DEBUG", False)
# A deployment sets SECRET_KEY, which turns on HTTPS and hashed static files below. Without it
# the site serves this machine only, over plain HTTP, with a development key (`make run`, the
# tests).
SECRET_KEY = env_str("SECRET_KEY")
DEPLOYED = bool(SECRET_KEY)
LOCAL_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if DEPLOYED else LOCAL_HOSTS)
if not DEPLOYED:
    # Other hosts with the development key only for a developer who asks (DEBUG=1, trying the
    # site from a phone on the same network, say).
    if not DEBUG and not set(ALLOWED_HOSTS) <= set(LOCAL_HOSTS):
        raise ImproperlyConfigured("SECRET_KEY must be set to serve hosts other than this machine")
    SECRET_KEY = "insecure-development-key-only-for-this-machine"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "resettle",
    "accounts",
    "households",
    "employment",
    "industry",
    "monitoring",
    "governance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "resettle.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "resettle.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "resettle.middleware.CleanInputMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request being served, for the audit trail's user and source address (resettle.audit).
    "resettle.audit.AuditRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "resettle.middleware.LateChangesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "resettle.urls"
WSGI_APPLICATION = "resettle.wsgi.application"

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
                "resettle.context_processors.layout",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs ~100 ms per aggregate and saves less on queries of this size.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a write transaction takes the lock at BEGIN, so two edits of one record queue
    # up and the second sees the new version (409) instead of failing with "database is locked".
    # WAL: a page that writes (a session, a status poll) does not wait for a long read (an
    # export) to end, nor the read for it; writers still queue one at a time.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis as broker when REDIS_URL is set; otherwise tasks run in-process (embedded default).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {
    "site-population-nightly": {
        "task": "households.site_refresh_population",
        "schedule": crontab(hour=1, minute=30),
    },
    # Return-to-poverty early warning, every morning before work (issue: monitoring, item 2).
    "monitoring-rules-daily": {
        "task": "monitoring.run_rules",
        "schedule": crontab(hour=5, minute=0),
    },
    # The monthly dispatch reports of the month before, on the 1st at 02:00 (issue: monthly
    # dispatch reports, item 2).
    "dispatch-reports-monthly": {
        "task": "governance.dispatch_reports",
        "schedule": crontab(day_of_month=1, hour=2, minute=0),
    },
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sign-in protection (GB/T 22239-2019 level 2, identity authentication: lock after repeated
# failures, end idle sessions): 5 failed attempts lock the account for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
# The name as typed, cut to a user name's length (a longer one overflowed axes' column: 500).
AXES_USERNAME_CALLABLE = "resettle.signin.axes_username"
AXES_RESET_ON_SUCCESS = True
# The account is what gets locked. Locking by IP address too would lock every cadre of an office
# behind one intranet gateway after one person's mistakes.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# A session ends after 30 idle minutes: every request renews it.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The security audit trail (resettle.audit; GB/T 22239-2019 level 3, §8.1.4.3): rows are kept
# this many days, never fewer than 180 (网络安全法 art. 21(三): network logs kept at least six
# months; a system check refuses less), then pruned every night.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180)
# The reverse proxies in front of the application (addresses or networks, comma-separated):
# only from these is X-Forwarded-For believed for the source address the trail records.
AUDIT_TRUSTED_PROXIES = env_list("AUDIT_TRUSTED_PROXIES", [])
for _proxy in AUDIT_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"AUDIT_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network"
        ) from None
CELERY_BEAT_SCHEDULE["audit-trail-prune-nightly"] = {
    "task": "resettle.prune_audit_trail",
    "schedule": crontab(hour=3, minute=30),
}

# API tokens (accounts; GB/T 22239-2019 §8.1.4.1 identity authentication): django-rest-knox
# keeps only their hash. A token stops working after API_TOKEN_IDLE without use and
# API_TOKEN_MAX_AGE after it was issued, however often used; a user holds at most
# API_TOKEN_LIMIT of them (one per script or integration).
API_TOKEN_IDLE = dt.timedelta(days=env_int("API_TOKEN_IDLE_DAYS", 7, minimum=1))
API_TOKEN_MAX_AGE = dt.timedelta(days=env_int("API_TOKEN_MAX_AGE_DAYS", 90, minimum=1))
if API_TOKEN_IDLE > API_TOKEN_MAX_AGE:
    raise ImproperlyConfigured("API_TOKEN_IDLE_DAYS must not exceed API_TOKEN_MAX_AGE_DAYS")
API_TOKEN_LIMIT = env_int("API_TOKEN_LIMIT", 10, minimum=1)
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# Clients send `Authorization: Token <key>`, as with the tokens before knox.
REST_KNOX = {"AUTH_HEADER_PREFIX": "Token", "TOKEN_TTL": API_TOKEN_IDLE}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "resettle.passwords.PasswordPolicyValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if DEPLOYED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# On this machine WhiteNoise serves static files straight from the sources (no collectstatic),
# whether DEBUG is on or not.
WHITENOISE_USE_FINDERS = not DEPLOYED
WHITENOISE_AUTOREFRESH = not DEPLOYED

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

if DEPLOYED:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
# A form sent from an expired page gets the site's 403 page saying to reload it.
CSRF_FAILURE_VIEW = "resettle.error_pages.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: everything from this site only (the sites run on intranets, no CDN);
# inline scripts and styles only with the per-response nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 500, minimum=1)

# Working age for the labor ledger: from 16 (Tacheng plan seeds/001 §四(二): 16周岁以上) to the
# statutory retirement age of 60 (国发〔1978〕104号).
EMPLOYMENT_WORKING_AGE = (16, 60)
# A monthly income above this is a typing mistake (yuan); the ledgers record 1,200–2,500 a month
# (Kashgar report seeds/000 §二(三)).
EMPLOYMENT_MAX_MONTHLY_INCOME = env_int("EMPLOYMENT_MAX_MONTHLY_INCOME", 50000, minimum=1)
# The worklists (employment.selectors): a laborer who wants work and had no job match in this
# many days awaits one (Tacheng plan seeds/001 §四(四) asks for job matching for each; the 30
# days are this platform's); an employed laborer not visited in this many days awaits a
# follow-up visit (Tacheng plan seeds/001 §四(四): 每年提供1次以上的跟踪回访服务).
EMPLOYMENT_JOB_MATCH_DAYS = env_int("EMPLOYMENT_JOB_MATCH_DAYS", 30, minimum=1)
EMPLOYMENT_FOLLOW_UP_DAYS = env_int("EMPLOYMENT_FOLLOW_UP_DAYS", 365, minimum=1)

# The monthly dispatch reports: a county's report for a month is due on this day of the next
# month (the board and the to-do list flag it late after that); no report before FIRST_PERIOD,
# the month relocation under the 13th five-year plan began.
DISPATCH = {
    "DUE_DAY": env_int("DISPATCH_DUE_DAY", 5, minimum=1),
    "FIRST_PERIOD": "2016-01",
    # A report asked for from the web and still not made after this long is taken as lost (its
    # worker died): it may be asked for again. A province's takes well under a minute.
    "STUCK_MINUTES": env_int("DISPATCH_STUCK_MINUTES", 30, minimum=1),
}

# Dashboards: live figures are refreshed for every province this often (a task, the beat entry
# below; a page only reads them), and shown with the time they were computed; the employment
# rate chart's target line (Kashgar report seeds/000 §二(三): every employable person employed);
# the months of reports the trend charts show; the share of laborers with all five clears on
# record (底数清、劳动能力清、就业状态清、就业意愿清、培训意向清, Kashgar report seeds/000
# §四(二)5) under which a region shows amber: the report asks for all of them, 95% is this
# platform's working threshold, not a figure of the documents.
DASHBOARD = {
    "REFRESH_MINUTES": env_int("DASHBOARD_REFRESH_MINUTES", 30, minimum=1),
    "EMPLOYMENT_TARGET": env_float("DASHBOARD_EMPLOYMENT_TARGET", 1.0),
    "TREND_MONTHS": env_int("DASHBOARD_TREND_MONTHS", 12, minimum=2),
    "FIVE_CLEARS_TARGET": env_float("DASHBOARD_FIVE_CLEARS_TARGET", 0.95),
}
# The dashboard's colours (governance.targets): green at the policy's target, amber within a
# band beyond it, red beyond the band. The targets are the policies' (sources below); no document
# sets the bands: they are the office's own choice, set here. A count whose target is 0 is
# compared as a share of "per" (so a large county is not red for one case a small one is not).
DASHBOARD_RULES = {
    # Every household with labor has at least one person employed (Tacheng plan seeds/001 §二;
    # Guizhou opinions seeds/003 §二(一)1): 100 %. Red below 95 %: the office's choice.
    "one_per_household_rate": {"target": 1.0, "red": 0.95, "source": "001 §二; 003 §二(一)1"},
    # Every monitored household has an assistance measure (Yuncheng plan seeds/002 §三(一)).
    # Red above 5 % of monitored households: the office's choice.
    "cases_without_measure": {
        "target": 0,
        "red": 0.05,
        "per": "monitored_households",
        "source": "002 §三(一)",
    },
    # Every new case is verified at home within the time set (Yuncheng plan seeds/002 §三(一)).
    # Red above 5 % of monitored households: the office's choice.
    "overdue_verifications": {
        "target": 0,
        "red": 0.05,
        "per": "monitored_households",
        "source": "002 §三(一)",
    },
    # Every employed laborer is visited (follow-up, Yuncheng plan seeds/002 §三(一)): 100 %.
    # Red below 80 %: the office's choice.
    "followup_coverage": {"target": 1.0, "red": 0.8, "source": "002 §三(一)"},
    # The five clears of the labor ledger (Kashgar report seeds/000 §四(二)5) at
    # DASHBOARD["FIVE_CLEARS_TARGET"]; red below 80 %: the office's choice.
    "five_clears_rate": {
        "target": DASHBOARD["FIVE_CLEARS_TARGET"],
        "red": 0.8,
        "source": "000 §四(二)5",
    },
}
CELERY_BEAT_SCHEDULE["live-figures"] = {
    "task": "governance.refresh_live_figures",
    "schedule": 60.0 * DASHBOARD["REFRESH_MINUTES"],
}
# Sent once when beat starts as well (resettle.celery.run_at_start), so that a new deployment's
# dashboards do not wait one interval for their stored live figures.
CELERY_BEAT_AT_START = ["live-figures"]

# Sizes of sites by registered persons at which the policies set extra duties besides the
# workshops' (INDUSTRY["WORKSHOP_SITE_PERSONS"] below): a community (社区) with its Party branch
# from 3,000 persons (Kashgar report seeds/000 §二(四)); the county's principal leaders answer for
# sites of 10,000 persons and more (Guizhou opinions seeds/003 §二(七)24). The sites API lists
# each size a site reaches (size_flags, households.models.LARGE_SITE_THRESHOLDS).
SITE_SIZES = {
    "COMMUNITY_PERSONS": env_int("SITE_COMMUNITY_PERSONS", 3000, minimum=1),
    "LARGE_PERSONS": env_int("SITE_LARGE_PERSONS", 10000, minimum=1),
}

# Site governance (governance.sitegov.rules): a site with at least TEAM_PERSONS persons of
# 建档立卡 households gets a first secretary and a work team sent by the county, of TEAM_SIZE
# members at least with the first secretary counted among them; a smaller site is managed by the
# county as a whole (Yuncheng plan seeds/002 §三(五)一: 100人以上, 一点一队、一队三人). The sizes
# for the county's principal leaders (包保) and a community of its own are SITE_SIZES above.
SITE_GOVERNANCE = {
    "TEAM_PERSONS": env_int("SITE_TEAM_PERSONS", 100, minimum=1),
    "TEAM_SIZE": env_int("SITE_TEAM_SIZE", 3, minimum=1),
}

# Workshops (车间工坊), Yuncheng plan seeds/002 §三(二): within a 20-minute living circle of the
# sites they serve, at least 50% of their jobs to relocated laborers, built for sites of fewer
# than 800 relocated persons (also the first of households.models.LARGE_SITE_THRESHOLDS).
INDUSTRY = {
    "WORKSHOP_RELOCATED_SHARE": env_float("INDUSTRY_WORKSHOP_RELOCATED_SHARE", 0.5),
    "WORKSHOP_MAX_MINUTES": env_int("INDUSTRY_WORKSHOP_MAX_MINUTES", 20, minimum=1),
    "WORKSHOP_SITE_PERSONS": env_int("INDUSTRY_WORKSHOP_SITE_PERSONS", 800, minimum=1),
}

# PostgreSQL's work_mem for the indicators' grouped queries over a province's persons (set for
# their transaction only; the default 4MB spills their hashes and sorts to disk).
INDICATOR_WORK_MEM = env_str("INDICATOR_WORK_MEM", "128MB")

# Return-to-poverty monitoring (monitoring.rules and services). The income line itself is
# reference data (MonitoringLine), never a setting.
MONITORING = {
    # Warning band: a per-capita net income under this multiple of the line raises an alert
    # (国家乡村振兴局 2021 guidance: 1.5 times the line).
    "WARNING_BAND": env_float("MONITORING_WARNING_BAND", 1.5),
    # A per-capita net income down by this share on the year before raises an alert.
    "INCOME_DROP": env_float("MONITORING_INCOME_DROP", 0.30),
    # Rigid medical expenses of a year above this (yuan) raise an alert.
    "MEDICAL_EXPENSE": env_int("MONITORING_MEDICAL_EXPENSE", 10000, minimum=0),
    # A member recorded with serious illness or disability within this many days is "new".
    "NEW_CONDITION_DAYS": env_int("MONITORING_NEW_CONDITION_DAYS", 30, minimum=1),
    # A disaster or accident within this many days raises an alert.
    "INCIDENT_DAYS": env_int("MONITORING_INCIDENT_DAYS", 90, minimum=1),
    # A dismissed alert is not raised again by its rule for this many days.
    "DISMISSED_DAYS": env_int("MONITORING_DISMISSED_DAYS", 90, minimum=0),
    # The home visit (入户核实) is due within this many working days of the warning.
    "VISIT_WORKING_DAYS": env_int("MONITORING_VISIT_WORKING_DAYS", 15, minimum=1),
    # The public notice (公示) lasts at least this many days.
    "NOTICE_DAYS": env_int("MONITORING_NOTICE_DAYS", 5, minimum=1),
    # Elimination: income above the line for at least this many months since inclusion.
    "STABLE_MONTHS": env_int("MONITORING_STABLE_MONTHS", 6, minimum=1),
    # Per-capita net incomes above this (yuan a year) are typing mistakes.
    "MAX_PER_CAPITA": env_int("MONITORING_MAX_PER_CAPITA", 1000000, minimum=1),
}

# Excel uploads (resettle.excel): size limit, and what counts as a zip bomb (an .xlsx inflates
# 5–15 times; a bomb inflates thousands of times).
EXCEL_UPLOAD_MAX_BYTES = env_int("EXCEL_UPLOAD_MAX_MB", 20, minimum=1) * 2**20
EXCEL_MAX_INFLATED_BYTES = 600 * 2**20
EXCEL_MAX_COMPRESSION_RATIO = 100
# Imports and exports with more rows than these run as Celery tasks with a progress bar.
EXCEL_ASYNC_IMPORT_ROWS = env_int("EXCEL_ASYNC_IMPORT_ROWS", 2000, minimum=1)
EXCEL_ASYNC_EXPORT_ROWS = env_int("EXCEL_ASYNC_EXPORT_ROWS", 5000, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request gets 401 with `WWW-Authenticate: Token`.
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "resettle.api.pagination.CappedPageNumberPagination",
    # Every value typed goes through the one cell cleaner (resettle.cleaning).
    "DEFAULT_PARSER_CLASSES": [
        "resettle.api.parsers.CleanJSONParser",
        "resettle.api.parsers.CleanFormParser",
        "resettle.api.parsers.CleanMultiPartParser",
    ],
    # The browsable API is a development aid; production answers JSON (Swagger UI documents it).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "resettle.api.schema.ResettleAutoSchema",
    "EXCEPTION_HANDLER": "resettle.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "resettle API",
    "DESCRIPTION": "易地扶贫搬迁后续扶持 — registry, scoping and indicators",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request bodies as components of their own (…Request), without the read-only fields; the
    # error answers and an update's version are added by resettle.api.schema.
    "COMPONENT_SPLIT_REQUEST": True,
    # Code lists whose fields share a name across the API.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "monitoring.choices.Status",
        "AlertStatusEnum": "monitoring.choices.AlertStatus",
        "PersonStatusEnum": "households.choices.PersonStatus",
        "ProjectStatusEnum": "industry.choices.ProjectStatus",
    },
}

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
FILTERS_EMPTY_CHOICE_LABEL = _("All")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO; failures and lockouts are WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}
