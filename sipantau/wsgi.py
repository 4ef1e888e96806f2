"""WSGI entry point: `gunicorn sipantau.wsgi` (configuration in gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipantau.settings")
os.environ["SIPANTAU_SERVING"] = "1"  # settings refuse to serve without DJANGO_SECRET_KEY

application = get_wsgi_application()
