"""Settings of the bare baseline pages under gunicorn: the project's database and apps, the bench's
URLconf and Django's default middleware (the bare views render with their own plain engine)."""

from bench.baseline import DEFAULT_MIDDLEWARE
from sipantau.settings import *  # noqa: F403

ROOT_URLCONF = "bench.baseline_urls"
MIDDLEWARE = DEFAULT_MIDDLEWARE
