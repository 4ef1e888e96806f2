"""System checks for follow-up settings that only matter where the site is deployed."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def site_url_check(app_configs, **kwargs):
    """The digest's links need the address people open SIPANTAU at."""
    url = settings.SIPANTAU_SITE_URL
    if url.startswith("https://") and "localhost" not in url and "127.0.0.1" not in url:
        return []
    return [
        Warning(
            "SIPANTAU_SITE_URL is not set to the public https:// address of this site.",
            hint="Set SIPANTAU_SITE_URL, e.g. https://sipantau.sumbarprov.go.id; the daily digest's links use it.",
            id="followup.W001",
        )
    ]
