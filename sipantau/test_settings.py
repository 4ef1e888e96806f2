"""Settings for the test suite (pytest.ini): production's, with DEBUG off, over plain HTTP.

Only what a test run needs differs from sipantau/settings.py, and each line says why.
"""

from .settings import *  # noqa: F403
from .settings import DATABASES, SQLITE_FILE_OPTIONS

# The test client's host, beside the usual local ones; the live server speaks plain HTTP.
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
SECURE_SSL_REDIRECT = False
# A fixed key: signed values (sessions, tokens) need one, and no test depends on its secrecy.
SECRET_KEY = "django-insecure-tests-only"
# Links in e-mails sent by commands (the digest) point at a local address.
SIPANTAU_SITE_URL = "http://127.0.0.1:8000"

# Static files from the app and project folders, without a collectstatic manifest.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# MD5: the suite makes and signs in hundreds of accounts, and the real hasher (PBKDF2, a million
# rounds) costs half a second each; Django's own tests cover the real one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The in-memory SQLite test database is shared with the live server's thread through SQLite's
# shared cache, whose table locks are never waited for: the file options (WAL, IMMEDIATE) stay off.
for _key in SQLITE_FILE_OPTIONS:
    DATABASES["default"].get("OPTIONS", {}).pop(_key, None)

# The replica alias mirrors the test database; routing to it stays off unless a test turns
# SIPANTAU_READ_REPLICA on (tests/test_routers.py), so other tests never touch it.
DATABASES["replica"] = {**DATABASES["default"], "ATOMIC_REQUESTS": False, "TEST": {"MIRROR": "default"}}
SIPANTAU_READ_REPLICA = ""
