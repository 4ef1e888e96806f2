"""Follow-up of arrivals: dispatch confirmations, isolation orders, daily checks, police reports, the digest."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, F, Max, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.practice import RealOnlyManager, practice_field
from accounts.practice import manager as practice_manager
from accounts.roles import JURISDICTION_LEVEL
from regions.models import Region
from travellers.models import Arrival, Person

from .texts import in_words


# ------------------------------------------------------------------------------
# Rule data, managed by admins
# ------------------------------------------------------------------------------
class ExemptionCategory(models.Model):
    """A travel purpose exempt from isolation (logistics drivers, health workers, official duty)."""

    name = models.CharField(_("nama"), max_length=100)
    purpose = models.CharField(_("keperluan perjalanan"), max_length=12, choices=Arrival.Purpose.choices, unique=True)
    active = models.BooleanField(_("berlaku"), default=True)

    class Meta:
        verbose_name = _("kategori pengecualian isolasi")
        verbose_name_plural = _("kategori pengecualian isolasi")
        ordering = ["name"]

    def __str__(self):
        return self.name


class FlaggedRegion(models.Model):
    """A region whose visitors isolate when they were there within the flagged dates."""

    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+")
    date_from = models.DateField(_("dari tanggal"))
    date_to = models.DateField(_("sampai tanggal"))
    note = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("wilayah berisiko")
        verbose_name_plural = _("wilayah berisiko")
        ordering = ["-date_from"]
        constraints = [
            models.CheckConstraint(condition=Q(date_to__gte=F("date_from")), name="flaggedregion_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.region} {self.date_from:%d-%m-%Y}–{self.date_to:%d-%m-%Y}"


# ------------------------------------------------------------------------------
# Dispatch
# ------------------------------------------------------------------------------
class ArrivalConfirmationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Confirmations of arrivals `user` may see."""
        return access.scope(
            self, user, "arrival__destination_code", post=("arrival__checkpoint_id", "arrival__arrived_at")
        )


class ArrivalConfirmation(models.Model):
    """The village team's answer: the traveller was (or was not) found at the address."""

    class Outcome(models.TextChoices):
        FOUND = "found", _("Ditemukan di alamat")
        NOT_FOUND = "not_found", _("Tidak ditemukan")

    arrival = models.OneToOneField(
        Arrival, verbose_name=_("kedatangan"), on_delete=models.CASCADE, related_name="confirmation"
    )
    outcome = models.CharField(_("hasil"), max_length=10, choices=Outcome.choices)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("waktu"), default=timezone.now)
    practice = practice_field()

    objects = practice_manager(ArrivalConfirmationQuerySet)

    class Meta:
        verbose_name = _("konfirmasi kedatangan")
        verbose_name_plural = _("konfirmasi kedatangan")

    def __str__(self):
        return f"{self.arrival_id}: {self.get_outcome_display()}"


# ------------------------------------------------------------------------------
# Isolation
# ------------------------------------------------------------------------------
class IsolationOrderQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Orders bound for `user`'s jurisdiction (none for officers and accounts without a reach)."""
        return access.scope(self, user, "destination_code")

    def running(self, day=None):
        """Orders in force on `day` (today): active, started, and not yet at their end date."""
        return self.filter(_running(day or timezone.localdate()))

    def completed(self, day=None):
        """Orders that ran to their end date (computed: nothing has to write it)."""
        return self.with_status(day).filter(status=IsolationOrder.Status.COMPLETED)

    def with_status(self, day=None):
        """Annotate `status`, an IsolationOrder.Status on `day` (today): the SQL twin of IsolationOrder.status_on()."""
        day = day or timezone.localdate()
        return self.annotate(
            status=Case(
                When(state=IsolationOrder.State.CLOSED_EARLY, then=Value(IsolationOrder.Status.CLOSED)),
                When(end_date__lte=day, then=Value(IsolationOrder.Status.COMPLETED)),
                default=Value(IsolationOrder.Status.ACTIVE),
                output_field=models.CharField(),
            )
        )

    def with_check_state(self, day=None):
        """Annotate checked_today, last_check_day and overdue (the rule of overdue()), for lists in one query."""
        day = day or timezone.localdate()
        return self.annotate(
            checked_today=_checked_on(day),
            last_check_day=Max("checks__day"),
            overdue=ExpressionWrapper(_overdue(day), output_field=models.BooleanField()),
        )

    def due(self, day=None):
        """Running orders without a check recorded for `day`."""
        day = day or timezone.localdate()
        return self.filter(_running(day)).exclude(_checked_on(day))

    def overdue(self, day=None):
        """Due orders that also missed yesterday's check (started before today, nothing yesterday)."""
        return self.filter(_overdue(day or timezone.localdate()))


def _checked_on(day):
    return Exists(Check.objects.filter(order=OuterRef("pk"), day=day))


def _running(day):
    return Q(state=IsolationOrder.State.ACTIVE, start_date__lte=day, end_date__gt=day)


def _overdue(day):
    """Running, started before `day`, and no check on `day` nor the day before."""
    return _running(day) & Q(start_date__lt=day) & ~_checked_on(day) & ~_checked_on(day - timedelta(days=1))


class IsolationOrder(models.Model):
    """A self-isolation order for one person, at the destination of the arrival that opened it."""

    class State(models.TextChoices):
        """What is stored: running to its end date, or closed early by someone."""

        ACTIVE = "active", _("Aktif")
        CLOSED_EARLY = "closed", _("Ditutup lebih awal")

    class Status(models.TextChoices):
        """What people read on a day, computed from the state and the end date (the values are the
        lists' URL words: ?status=aktif on the isolation list, ?isolasi=aktif on the arrival list)."""

        ACTIVE = "aktif", _("Aktif")
        COMPLETED = "selesai", _("Selesai")
        CLOSED = "ditutup", _("Ditutup lebih awal")

        @classmethod
        def of(cls, state, end_date, day=None):
            """The status of an order in `state` ending on `end_date`, on `day` (today)."""
            if state == IsolationOrder.State.CLOSED_EARLY:
                return cls.CLOSED
            return cls.COMPLETED if end_date <= (day or timezone.localdate()) else cls.ACTIVE

    person = models.ForeignKey(Person, verbose_name=_("pelaku perjalanan"), on_delete=models.PROTECT, related_name="+")
    arrival = models.ForeignKey(
        Arrival,
        verbose_name=_("kedatangan"),
        on_delete=models.PROTECT,
        related_name="isolation_orders",
        help_text=_("Kedatangan terakhir yang memulai atau memulai ulang isolasi."),
    )
    # Denormalised from the arrival's destination so "orders in my area" is one indexed prefix scan.
    destination_code = models.CharField(_("kode tujuan"), max_length=20, editable=False)
    # The rule's grounds as a message code and its values (texts.py), put into words on read;
    # `reason` holds a ground written as text (rows from before the codes, generated data).
    reason = models.CharField(_("dasar isolasi"), max_length=255, blank=True, db_default="")
    reason_code = models.CharField(_("kode dasar isolasi"), max_length=20, blank=True, db_default="")
    reason_params = models.JSONField(_("nilai dasar isolasi"), default=dict, blank=True, db_default={})
    start_date = models.DateField(_("mulai"))
    days = models.PositiveSmallIntegerField(_("lama (hari)"))
    end_date = models.DateField(_("selesai"), editable=False)
    state = models.CharField(_("status"), max_length=8, choices=State.choices, default=State.ACTIVE)
    # The day an order was closed early (cleared when reopened): its purpose ended then, not at
    # end_date, and retention counts from it (retention.py).
    closed_on = models.DateField(_("ditutup pada"), null=True, blank=True, editable=False)
    # The day of the order's latest visit, written with each visit (services.isolation_check_record;
    # rebuilt by tally_checks): the figures tell due and overdue orders from it, not from the visits.
    last_checked_on = models.DateField(_("pemantauan terakhir"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    practice = practice_field()

    objects = practice_manager(IsolationOrderQuerySet)

    class Meta:
        verbose_name = _("perintah isolasi")
        verbose_name_plural = _("perintah isolasi")
        ordering = ["end_date", "id"]
        indexes = [
            models.Index(fields=["destination_code"], name="isolation_dest_prefix", opclasses=["varchar_pattern_ops"]),
            # Orders in force: the ones not yet at their end date, whatever the area's history; the
            # area's prefix, the start, the last visit and the mode are read from the index too
            # (active, due and overdue counted without the table).
            models.Index(
                fields=["state", "end_date", "destination_code"],
                name="isolation_in_force",
                opclasses=["varchar_ops", "date_ops", "varchar_pattern_ops"],
                include=["start_date", "last_checked_on", "practice", "id"],
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1) & Q(days__lte=90), name="isolation_days_range"),
        ]

    def __str__(self):
        return f"{self.person.name}: {self.start_date:%d-%m-%Y} s.d. {self.end_date:%d-%m-%Y}"

    def save(self, *args, **kwargs):
        self.destination_code = self.arrival.destination_code
        self.practice = self.arrival.practice  # an order is in its arrival's mode, whatever the request's
        self.end_date = self.start_date + timedelta(days=self.days)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("followup:isolation_detail", args=[self.pk])

    def status_on(self, day=None):
        """The order's Status on `day` (today), as people read it (completion is computed from the date)."""
        return self.Status.of(self.state, self.end_date, day)

    def get_status_display(self):
        """The label of the order's status: the one with_status() annotated, else today's."""
        return self.Status(self.__dict__.get("status") or self.status_on()).label

    def get_reason(self):
        """The isolation's grounds in the reader's language (or as written, for a text)."""
        return in_words(self.reason_code, self.reason_params, self.reason)

    def day_number(self, day=None):
        """Which day of the isolation `day` is (1-based)."""
        day = day or timezone.localdate()
        return (day - self.start_date).days + 1


class IsolationEvent(models.Model):
    """One change in an order's life, kept with who and when (the order's history)."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Isolasi dimulai")
        PERIOD = "period", _("Lama isolasi diubah")
        CLOSED = "closed", _("Ditutup lebih awal")
        REOPENED = "reopened", _("Dibuka kembali")
        RESTARTED = "restarted", _("Dimulai ulang (masuk kembali)")
        CORRECTED = "corrected", _("Data kedatangan dikoreksi posko")

    order = models.ForeignKey(IsolationOrder, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    # A person's reason, as typed; or a note the system wrote, as a code and its values (texts.py).
    note = models.CharField(_("alasan / catatan"), max_length=500, blank=True)
    note_code = models.CharField(_("kode catatan"), max_length=20, blank=True, db_default="")
    note_params = models.JSONField(_("nilai catatan"), default=dict, blank=True, db_default={})
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        verbose_name = _("riwayat isolasi")
        verbose_name_plural = _("riwayat isolasi")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.at):%d-%m-%Y %H:%M}"

    def get_note(self):
        """The note in the reader's language when the system wrote it; as typed otherwise."""
        return in_words(self.note_code, self.note_params, self.note)


class CheckQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Checks on orders `user` may see."""
        return access.scope(self, user, "order__destination_code")


class Check(models.Model):
    """One daily visit: is the person at home, any symptoms, temperature."""

    order = models.ForeignKey(
        IsolationOrder, verbose_name=_("isolasi"), on_delete=models.CASCADE, related_name="checks"
    )
    day = models.DateField(_("tanggal"))
    at_home = models.BooleanField(_("berada di rumah"))
    symptoms = models.JSONField(_("gejala"), default=list, blank=True)
    temperature = models.DecimalField(_("suhu tubuh (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("waktu"), default=timezone.now)
    practice = practice_field()

    objects = practice_manager(CheckQuerySet)

    class Meta:
        verbose_name = _("pemantauan harian")
        verbose_name_plural = _("pemantauan harian")
        ordering = ["checked_at", "id"]
        indexes = [
            models.Index(fields=["order", "day"], name="check_order_day"),
            # The visits of one day (due and overdue orders are those without one): that day's rows only.
            models.Index(fields=["day", "order"], name="check_day_order"),
        ]

    def __str__(self):
        where = _("di rumah") if self.at_home else _("tidak di rumah")
        return f"{self.day:%d-%m-%Y} {where}"

    @property
    def failed(self):
        return not self.at_home


class CheckTallyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tallies of orders bound for `user`'s jurisdiction."""
        return access.scope(self, user, "destination_code")


class CheckTally(models.Model):
    """Visits recorded per day and order destination (tallies.py): the follow-up figures' check counts."""

    day = models.DateField(_("tanggal"))
    destination_code = models.CharField(_("kode tujuan"), max_length=20)
    checks = models.PositiveIntegerField(_("pemantauan"), default=0)
    at_home = models.PositiveIntegerField(_("berada di rumah"), default=0)

    objects = RealOnlyManager.from_queryset(CheckTallyQuerySet)()

    class Meta:
        verbose_name = _("rekap pemantauan harian")
        verbose_name_plural = _("rekap pemantauan harian")
        ordering = ["-day", "destination_code"]
        constraints = [models.UniqueConstraint(fields=["day", "destination_code"], name="check_tally_unique_cell")]

    def __str__(self):
        return f"{self.day:%d-%m-%Y} {self.destination_code}: {self.at_home}/{self.checks}"


# ------------------------------------------------------------------------------
# Non-compliance reports to the police
# ------------------------------------------------------------------------------
class ViolationReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reports on orders bound for `user`'s jurisdiction."""
        return access.scope(self, user, "destination_code")

    def handled_by(self, user):
        """Reports `user` must act on: police reaching the village, or the task force it escalated to."""
        found = access.reach(user)
        if found.everything:
            return self
        if found.nothing:
            return self.none()
        # Who handles which reports is a permission; which ones follows the level the role reaches.
        recipient = REPORT_RECIPIENT_BY_LEVEL.get(JURISDICTION_LEVEL.get(user.role))
        if not user.has_perm("accounts.handle_reports") or recipient is None:
            return self.none()
        return self.visible_to(user).filter(recipient=recipient)

    def open(self):
        """Reports not closed yet."""
        return self.exclude(state=ViolationReport.State.CLOSED)


class ViolationReport(models.Model):
    """A failed check reported to the police of the village (or the regency task force)."""

    class State(models.TextChoices):
        OPEN = "open", _("Baru")
        ACKNOWLEDGED = "acknowledged", _("Diterima")
        CLOSED = "closed", _("Selesai")

    class Recipient(models.TextChoices):
        POLICE = "police", _("Bhabinkamtibmas desa/nagari")
        REGENCY = "regency", _("Gugus tugas kabupaten/kota")

    order = models.ForeignKey(
        IsolationOrder, verbose_name=_("isolasi"), on_delete=models.PROTECT, related_name="reports"
    )
    failed_check = models.OneToOneField(
        Check, verbose_name=_("pemantauan"), on_delete=models.PROTECT, related_name="report"
    )
    # Denormalised, like the order's, for one indexed prefix filter.
    destination_code = models.CharField(_("kode tujuan"), max_length=20, editable=False)
    recipient = models.CharField(_("ditujukan kepada"), max_length=8, choices=Recipient.choices)
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.OPEN)
    description = models.TextField(_("uraian pelanggaran"), max_length=2000)
    action_taken = models.TextField(_("tindakan yang diambil"), max_length=2000, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelapor"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    raised_at = models.DateTimeField(_("dilaporkan"), default=timezone.now)
    practice = practice_field()

    objects = practice_manager(ViolationReportQuerySet)

    class Meta:
        verbose_name = _("laporan pelanggaran isolasi")
        verbose_name_plural = _("laporan pelanggaran isolasi")
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["destination_code"], name="report_dest_prefix", opclasses=["varchar_pattern_ops"]),
            # The open ones only (what the follow-up figures count), however many were closed before.
            models.Index(
                fields=["destination_code"],
                name="report_open_dest",
                opclasses=["varchar_pattern_ops"],
                condition=~Q(state="closed"),
            ),
        ]

    def __str__(self):
        return f"{self.number} — {self.order.person.name}"

    def save(self, *args, **kwargs):
        self.destination_code = self.order.destination_code
        self.practice = self.order.practice
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("followup:report_detail", args=[self.pk])

    @property
    def number(self):
        """The letter number people quote: LP-<year>-<id> (LATIHAN-LP-… for a practice report)."""
        number = f"LP-{timezone.localtime(self.raised_at):%Y}-{self.pk:05d}"
        return f"LATIHAN-{number}" if self.practice else number


# Reports go to the police of the village, or to the regency task force when it has none.
REPORT_RECIPIENT_BY_LEVEL = {
    Region.Level.VILLAGE: ViolationReport.Recipient.POLICE,
    Region.Level.REGENCY: ViolationReport.Recipient.REGENCY,
}


class ViolationReportEvent(models.Model):
    """One state change of a report, with who, when and what was noted."""

    report = models.ForeignKey(ViolationReport, on_delete=models.CASCADE, related_name="events")
    state = models.CharField(_("status"), max_length=12, choices=ViolationReport.State.choices)
    note = models.TextField(_("catatan"), max_length=2000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        verbose_name = _("riwayat laporan")
        verbose_name_plural = _("riwayat laporan")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_state_display()} {timezone.localtime(self.at):%d-%m-%Y %H:%M}"


# ------------------------------------------------------------------------------
# Daily digest opt-in (kept here: accounts' User is not ours to migrate)
# ------------------------------------------------------------------------------
class DigestSubscription(models.Model):
    """A user's opt-in to the daily digest e-mail of their area."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="digest"
    )
    active = models.BooleanField(_("kirim ringkasan harian"), default=True)
    last_sent_on = models.DateField(_("terakhir dikirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("langganan ringkasan harian")
        verbose_name_plural = _("langganan ringkasan harian")

    def __str__(self):
        return str(self.user)
