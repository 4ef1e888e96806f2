"""The control for the outage drill: SIPANTAU with CONN_HEALTH_CHECKS off, to show what it buys."""

from sipantau.settings import *  # noqa: F403

DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405
