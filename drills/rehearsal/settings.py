"""SIPANTAU's settings with the stand-in entry API routed in front of the real URLs."""

from sipantau.settings import *  # noqa: F403

ROOT_URLCONF = "drills.rehearsal.urls"
