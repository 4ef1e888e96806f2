"""Two-factor authentication with django-otp: TOTP devices, recovery codes, the QR code."""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

TOTP_NAME = "Aplikasi autentikator"
RECOVERY_NAME = "Kode cadangan"


def pending_totp_device(user):
    """The user's unconfirmed TOTP device, made on first use (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def has_device(user):
    """True when the user has a confirmed second factor."""
    return any(devices_for_user(user, confirmed=True))


def secret_display(device):
    """The TOTP secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(data):
    """`data` as an inline SVG QR code (no image library, nothing sent anywhere)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg") :]


@transaction.atomic
def recovery_codes_reset(*, user) -> list[str]:
    """Replace the user's recovery codes with fresh ones; returns them (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.SIPANTAU_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


@transaction.atomic
def two_factor_confirm(*, device) -> list[str]:
    """Confirm an enrolled TOTP device, drop other unconfirmed ones, issue recovery codes."""
    device.confirmed = True
    device.full_clean()
    device.save()
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return recovery_codes_reset(user=device.user)
