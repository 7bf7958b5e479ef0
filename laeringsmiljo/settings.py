"""Settings for Læringsmiljø, read from environment variables with embedded defaults.

No DATABASE_URL means SQLite in the project folder; no CELERY_BROKER_URL means Celery tasks
run eagerly in-process. Production sets DJANGO_DEBUG=0, DJANGO_SECRET_KEY and the rest.
"""

import datetime
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from laeringsmiljo.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY må være satt når DJANGO_DEBUG er av (produksjon)."
        )
    SECRET_KEY = "utvikling-ikke-hemmelig-" + "x" * 40
elif not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY må være minst 50 tegn lang i produksjon.")

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long the link to take on the contact role, e-mailed with the invitation, stays open.
ACCESS_LINK_DAYS = env_int("ACCESS_LINK_DAYS", 14, minimum=1)
COMMITMENT_LINK_DAYS = env_int("COMMITMENT_LINK_DAYS", 14, minimum=1)

INSTALLED_APPS = [
    "laeringsmiljo",
    "applications",
    "selection",
    # Django admin with the site that asks for the second factor.
    "laeringsmiljo.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "laeringsmiljo.middleware.RequestSizeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "laeringsmiljo.signin.inactivity.InactivityMiddleware",
    # After the idle time-out: staff signed in with a password pass a second factor first.
    "laeringsmiljo.signin.second_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "laeringsmiljo.urls"
WSGI_APPLICATION = "laeringsmiljo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "laeringsmiljo.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL"),
        base_dir=BASE_DIR,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600, minimum=0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Refuses a password for a locked username or address before it is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed passwords (laeringsmiljo/signin/lockout.py): AXES_FAILURE_LIMIT failures for one
# username, or from one address, lock it for AXES_COOLOFF_MINUTES after the latest attempt.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "laeringsmiljo.signin.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "laeringsmiljo.signin.lockout.client_ip"
AXES_USERNAME_CALLABLE = "laeringsmiljo.signin.lockout.username_of"
# How many reverse proxies in front of the service add to X-Forwarded-For; 0 counts by the
# connection's own address.
LOGIN_PROXY_COUNT = env_int("LOGIN_PROXY_COUNT", 0, minimum=0)
# OpenID Connect (laeringsmiljo/signin/oidc.py): ID-porten for municipality users and the
# staff's own identity provider (Entra ID) for office, Udir and admin users, each on when its
# issuer is set. The level asked of ID-porten is IDPORTEN_ACR; a higher one is taken too.
IDPORTEN_LEVELS = ["idporten-loa-low", "idporten-loa-substantial", "idporten-loa-high"]


def _client_key(prefix):
    """The client's private key for private_key_jwt ({prefix}_CLIENT_KEY_FILE, PEM), read and
    checked once at start; None when the client uses a secret."""
    path = env_str(f"{prefix}_CLIENT_KEY_FILE")
    if not path:
        return None
    try:
        pem = Path(path).read_text()
    except OSError as error:
        raise ImproperlyConfigured(
            f"{prefix}_CLIENT_KEY_FILE: nøkkelfila {path} kan ikke leses ({error.strerror})."
        ) from None
    if "PRIVATE KEY-----" not in pem:
        raise ImproperlyConfigured(
            f"{prefix}_CLIENT_KEY_FILE: {path} er ikke en privat nøkkel i PEM-format."
        )
    return pem


def _oidc_provider(prefix, *, scopes, acr):
    issuer = env_str(f"{prefix}_ISSUER")
    if not issuer:
        return None
    client_id, secret = env_str(f"{prefix}_CLIENT_ID"), env_str(f"{prefix}_CLIENT_SECRET")
    key = _client_key(prefix)
    if not client_id or not (secret or key):
        raise ImproperlyConfigured(
            f"{prefix}_CLIENT_ID og enten {prefix}_CLIENT_SECRET eller {prefix}_CLIENT_KEY_FILE "
            f"må være satt når {prefix}_ISSUER er det."
        )
    if secret and key:
        raise ImproperlyConfigured(
            f"Sett enten {prefix}_CLIENT_SECRET eller {prefix}_CLIENT_KEY_FILE, ikke begge."
        )
    return {
        "issuer": issuer.rstrip("/"),
        "client_id": client_id,
        "client_secret": secret or "",
        # private_key_jwt: the key signs a short-lived assertion instead of sending a secret.
        "client_key": key or "",
        "client_key_id": env_str(f"{prefix}_CLIENT_KEY_ID", ""),
        "scopes": env_str(f"{prefix}_SCOPES", scopes),
        "acr": env_str(f"{prefix}_ACR", acr),
    }


OIDC_PROVIDERS = {
    name: config
    for name, config in {
        "idporten": _oidc_provider(
            "IDPORTEN", scopes="openid profile", acr="idporten-loa-substantial"
        ),
        "staff": _oidc_provider("STAFF_OIDC", scopes="openid profile email", acr=""),
    }.items()
    if config
}
if "idporten" in OIDC_PROVIDERS and OIDC_PROVIDERS["idporten"]["acr"] not in IDPORTEN_LEVELS[1:]:
    raise ImproperlyConfigured(
        "IDPORTEN_ACR må være idporten-loa-substantial eller idporten-loa-high."
    )
# How long the link of a staff invitation (laeringsmiljo/signin/staff_invitations.py) lasts.
STAFF_INVITATION_DAYS = env_int("STAFF_INVITATION_DAYS", 7, minimum=1)
# The key of the hash the ID-porten pid is kept as; never the number itself.
PID_HMAC_KEY = env_str("PID_HMAC_KEY")
if "idporten" in OIDC_PROVIDERS and len(PID_HMAC_KEY or "") < 32:
    raise ImproperlyConfigured("PID_HMAC_KEY må være minst 32 tegn når ID-porten er satt opp.")

# The second factor for staff signed in with a password (laeringsmiljo/signin/second_factor.py):
# the name the authenticator app shows for the account.
OTP_TOTP_ISSUER = "Læringsmiljø"
# Argon2id with a measured cost (laeringsmiljo/hashers.py); the hashers after it only read
# older hashes, which are stored again with Argon2id when their user signs in.
PASSWORD_HASHERS = [
    "laeringsmiljo.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Oslo")
USE_I18N = True
# «kl. 20.09» for bokmål and nynorsk (laeringsmiljo/times.py).
FORMAT_MODULE_PATH = ["laeringsmiljo.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded attachments and generated letters live outside the static path and are served
# only through views that check permission; MEDIA_URL is deliberately not routed.
MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))

# What one request may carry (laeringsmiljo/uploads.py): text fields up to 2.5 MB, files up to
# 10 MB, and a whole multipart body up to 11 MB, refused on its Content-Length before it is read.
# A reverse proxy in front should refuse bodies past the same 11 MB (nginx:
# client_max_body_size 11m), so that a larger one never reaches gunicorn at all.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
UPLOAD_MAX_FILE_BYTES = 10 * 1024 * 1024
UPLOAD_MAX_BODY_BYTES = UPLOAD_MAX_FILE_BYTES + 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "laeringsmiljo.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Where uploads past 2.5 MB are spooled while the request is read; the system's temp folder
# when not set.
FILE_UPLOAD_TEMP_DIR = env_str("FILE_UPLOAD_TEMP_DIR") or None

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "e-post"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Læringsmiljø <ikke-svar@laeringsmiljo.example>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Where a signed-in user without a role asks for access; shown on that page when set.
SUPPORT_EMAIL = env_str("SUPPORT_EMAIL", "")

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task is acknowledged when it is done (CELERY_TASK_ACKS_LATE), so a worker that dies with it
# leaves it in the broker: a pool process that dies gives it back at once, and Redis hands a
# task whose whole worker died to another worker after the visibility timeout. That timeout
# must be longer than the longest letter and the longest wait before a retry (5 minutes), or
# Redis hands out a task that is still being worked on.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 10 * 60, minimum=6 * 60)
}
# Letters still waiting this long after their task was queued have lost it; the sweep, run by
# Celery beat, queues them again. Making and sending a letter happen once however often they
# are queued.
LETTER_SWEEP_INTERVAL = env_int("LETTER_SWEEP_INTERVAL", 60, minimum=1)
LETTER_STRANDED_AFTER = env_int("LETTER_STRANDED_AFTER", 5 * 60, minimum=1)
# A letter that a worker has begun this many times without finishing it (a letter that
# brings its worker down) is marked failed instead of being tried forever.
LETTER_MAX_ATTEMPTS = env_int("LETTER_MAX_ATTEMPTS", 10, minimum=1)
# How often Celery beat sends the reminders of the answer deadline and the closing letters to
# the reserves still waiting at a cohort's formal start (each letter is made once).
SETTLEMENT_INTERVAL = env_int("SETTLEMENT_INTERVAL", 60 * 60, minimum=1)
# How often Celery beat looks for the reminders before the application deadline whose time has
# come (the steps per cohort in admin, 09:00 Oslo time by default): a reminder goes at most this
# long after its time, and once.
REMINDER_INTERVAL = env_int("REMINDER_INTERVAL", 5 * 60, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "requeue-stranded-letters": {
        "task": "selection.tasks.requeue_stranded_letters_task",
        "schedule": LETTER_SWEEP_INTERVAL,
        # A sweep nobody ran in time is replaced by the next one.
        "options": {"expires": LETTER_SWEEP_INTERVAL},
    },
    "settle-cohorts": {
        "task": "selection.tasks.settle_cohorts_task",
        "schedule": SETTLEMENT_INTERVAL,
        "options": {"expires": SETTLEMENT_INTERVAL},
    },
    "send-reminders": {
        "task": "selection.tasks.send_scheduled_reminders_task",
        "schedule": REMINDER_INTERVAL,
        "options": {"expires": REMINDER_INTERVAL},
    },
}

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
# A session without a request for this many seconds ends (laeringsmiljo/signin/inactivity.py);
# SESSION_COOKIE_AGE is the longest a session lasts however busy it is. Changing the password
# ends the user's other sessions (Django's session hash); the one that changed it goes on.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 60 * 60, minimum=60)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# A stale CSRF token (a page open too long, a new sign-in in another tab) gets a page in the
# layout that keeps what was typed, in debug mode too.
CSRF_FAILURE_VIEW = "laeringsmiljo.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
# Only the service's own files run or style a page: no inline script, style or event handler,
# nothing from elsewhere, and no page inside another site's frame. Bootstrap draws its form
# icons as data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^helse/$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        # django-axes announces itself at every start.
        "axes.apps": {"level": "WARNING"},
    },
}
