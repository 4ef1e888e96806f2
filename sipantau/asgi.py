"""ASGI entry point, for servers that speak ASGI."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipantau.settings")
os.environ["SIPANTAU_SERVING"] = "1"  # settings refuse to serve without DJANGO_SECRET_KEY

application = get_asgi_application()
