"""API clients: system accounts of other government systems, and the tokens they read with."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "sip_"


def hash_token(token: str) -> str:
    """The stored form of a token: SHA-256 (a token is 256 random bits, so no slow hash is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def default_expiry():
    return timezone.now() + timedelta(days=settings.SIPANTAU_EXCHANGE_TOKEN_DAYS)


class ApiClient(models.Model):
    """Another government system reading SIPANTAU: a system account with a role and a jurisdiction."""

    name = models.CharField(_("nama sistem"), max_length=150)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun sistem"),
        on_delete=models.PROTECT,
        related_name="api_client",
        help_text=_("Akun tanpa kata sandi; peran dan wilayah tugasnya menentukan data yang dibaca."),
    )
    operator = models.CharField(
        _("pengelola"), max_length=255, blank=True, help_text=_("Instansi dan kontak yang menjalankan sistem itu.")
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("klien API")
        verbose_name_plural = _("klien API")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Tokens neither revoked nor expired, of active system accounts."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, client__user__is_active=True)


class ApiToken(models.Model):
    """A bearer token of an API client. Only its hash is stored; the token is shown once."""

    client = models.ForeignKey(ApiClient, verbose_name=_("klien API"), on_delete=models.CASCADE, related_name="tokens")
    label = models.CharField(_("keterangan"), max_length=100, blank=True)
    key_hash = models.CharField(_("sidik token"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("awal token"), max_length=12, editable=False, help_text=_("Untuk mengenali token tanpa menyimpannya.")
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"), default=default_expiry)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.client} · {self.prefix}…"

    def issue(self) -> str:
        """Give this (unsaved) token a fresh secret; returns the token, which is never stored."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.key_hash = hash_token(token)
        self.prefix = token[: len(TOKEN_PREFIX) + 6]
        return token

    def status(self, now=None):
        """active, revoked or expired."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"
