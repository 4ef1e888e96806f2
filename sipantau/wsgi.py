"""WSGI entry point: `gunicorn sipantau.wsgi` (configuration in gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipantau.settings")

application = get_wsgi_application()
