from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from checkpoints.models import Checkpoint
from regions.models import Region

from . import access
from .practice import manager as practice_manager
from .practice import practice_field
from .roles import PERMISSIONS, ROLE_GROUP, Role


class User(AbstractUser):
    """A SIPANTAU account: what it may do is its role; where, its jurisdictions or its post."""

    role = models.CharField(
        _("peran"),
        max_length=10,
        choices=Role.choices,
        blank=True,
        help_text=_("Kosongkan untuk admin (staf) yang hanya bekerja di halaman admin."),
    )
    jurisdictions = models.ManyToManyField(
        Region,
        verbose_name=_("wilayah tugas"),
        blank=True,
        related_name="+",
        help_text=_("Wilayah yang datanya boleh dilihat; tingkatnya mengikuti peran."),
    )
    checkpoint = models.ForeignKey(
        Checkpoint,
        verbose_name=_("posko"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        help_text=_("Hanya untuk petugas posko."),
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    # Raised whenever what this account may do or reach changes (its groups, permissions or
    # jurisdictions; accounts/receivers.py): a session's remembered access is then worked out again.
    access_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        permissions = PERMISSIONS

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.sync_role_group()

    def sync_role_group(self):
        """Keep the user in exactly the group of their role (roles are groups)."""
        role_groups = Group.objects.filter(name__in=ROLE_GROUP.values())
        self.groups.remove(*role_groups.exclude(name=ROLE_GROUP.get(self.role)))
        if self.role:
            group = role_groups.filter(name=ROLE_GROUP[self.role]).first()
            if group is not None:
                self.groups.add(group)

    @property
    def is_officer(self):
        return self.role == Role.OFFICER

    @property
    def is_posted_officer(self):
        """May enter arrivals now: active, with the permission to, and placed at a post."""
        return bool(self.is_active and self.checkpoint_id and self.has_perm("accounts.enter_arrivals"))

    def jurisdiction_codes(self):
        """Codes of the regions this user reaches, cached for the request."""
        if not hasattr(self, "_jurisdiction_codes"):
            self._jurisdiction_codes = sorted(self.jurisdictions.values_list("code", flat=True))
        return self._jurisdiction_codes

    def reach_display(self, detailed=True):
        """Where this account reaches, in words (with each region's parents when `detailed`); worked
        out once per language, and kept with the session's access (accounts.access.remember)."""
        words = self.__dict__.setdefault("_reach_words", {})
        key = f"{translation.get_language()}|{int(detailed)}"
        if key not in words:
            words[key] = str(self._reach_in_words(detailed))
        return words[key]

    def _reach_in_words(self, detailed):
        if access.sees_everything(self):
            return _("Seluruh data (admin)")
        if self.is_officer:
            if self.checkpoint_id is None:
                return _("Belum ditempatkan di posko")
            return _("%(checkpoint)s, entri hari ini") % {"checkpoint": self.checkpoint}
        regions = list(self.jurisdictions.all())
        if not regions:
            return _("Tidak ada wilayah (tidak dapat melihat data)")
        return "; ".join((r.path_display() if detailed else str(r)) for r in regions)


class AuditEventQuerySet(models.QuerySet):
    def about(self, object_type, object_id):
        """Events on one record, newest first."""
        return self.filter(object_type=object_type, object_id=str(object_id)).order_by("-at")

    def about_person(self, person_id):
        """Events that showed `person_id`'s data: opened pages, look-ups, exports that included them."""
        return self.filter(pk__in=AuditEventPerson.objects.filter(person_id=person_id).values("event_id"))


class AuditEvent(models.Model):
    """Who did what to which personal data, when and from where. Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", _("Membuka data")
        EXPORT = "export", _("Mengekspor")
        SEARCH = "search", _("Mencari")
        DENIED = "denied", _("Ditolak")
        LOGIN = "login", pgettext_lazy("audit action", "Masuk")
        LOGIN_FAILED = "login_failed", _("Gagal masuk")
        LOGOUT = "logout", pgettext_lazy("audit action", "Keluar")
        CHANGE = "change", _("Mengubah")
        PURGE = "purge", _("Menghapus data kedaluwarsa")
        LOCKED_OUT = "locked_out", _("Terkunci (terlalu banyak gagal masuk)")
        RATE_LIMITED = "rate_limited", _("Dibatasi (terlalu banyak permintaan)")
        PASSWORD_CHANGED = "password_changed", _("Mengganti kata sandi")
        TWO_FACTOR = "two_factor", _("Verifikasi dua langkah")
        SESSION_ENDED = "session_ended", _("Sesi diakhiri")
        ALERT = "alert", _("Peringatan keamanan")

    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    action = models.CharField(_("tindakan"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("jenis data"), max_length=50, blank=True)
    object_id = models.CharField(_("ID data"), max_length=64, blank=True)
    detail = models.JSONField(_("rincian"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    # An event about practice records (audit.audit_record); sign-ins, denials and other security
    # events are always real, whatever the mode.
    practice = practice_field(default=False)

    objects = practice_manager(AuditEventQuerySet)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"], name="audit_object_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()}"


class AuditEventPerson(models.Model):
    """One traveller whose data an audit event showed or exported: the "who viewed" panel's index.

    An export of 100,000 arrivals writes 100,000 of these narrow rows in one INSERT … SELECT
    (accounts.audit.audit_people_from), so each person's panel finds the exports that included
    them with one indexed look-up. person_id is a plain number (accounts sits below travellers):
    it outlives a purged traveller as the audit record itself does.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="people")
    person_id = models.BigIntegerField(_("ID pelaku perjalanan"))

    class Meta:
        verbose_name = _("orang dalam catatan audit")
        verbose_name_plural = _("orang dalam catatan audit")
        indexes = [models.Index(fields=["person_id", "event"], name="audit_person_event")]

    def __str__(self):
        return f"{self.event_id}: {self.person_id}"
