import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.practice import manager as practice_manager
from accounts.practice import practice_field
from checkpoints.models import Checkpoint
from regions.models import CODE_WIDTH, Region, code_within_columns


def today_bounds(now=None):
    """Start and end of today in WIB (TIME_ZONE), as aware datetimes."""
    return access.local_day_bounds(timezone.localdate(now))


def mask_number(number: str, keep: int = 4) -> str:
    """1371012345670001 -> 1371••••••••0001: enough to tell people apart, not to copy."""
    if len(number) <= keep * 2:
        return "•" * len(number)
    return number[:keep] + "•" * (len(number) - keep * 2) + number[-keep:]


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People with at least one arrival `user` may see."""
        return self.filter(pk__in=Arrival.objects.visible_to(user).values("person_id"))


class Person(models.Model):
    """One traveller, identified by their identity document; many arrivals."""

    class IdType(models.TextChoices):
        NIK = "nik", _("NIK (KTP/KK)")
        PASSPORT = "passport", _("Paspor")

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    id_type = models.CharField(_("jenis identitas"), max_length=8, choices=IdType.choices, default=IdType.NIK)
    id_number = models.CharField(_("nomor identitas"), max_length=20)
    nationality = models.CharField(
        _("kewarganegaraan"), max_length=2, default="ID", help_text=_("Kode negara ISO 3166, mis. ID, MY.")
    )
    name = models.CharField(_("nama lengkap"), max_length=100)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=16, blank=True, help_text=_("Disimpan sebagai +62…"))
    home_address = models.CharField(_("alamat asal"), max_length=255, blank=True)
    home_region = models.ForeignKey(
        Region, verbose_name=_("wilayah asal"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    # A practice entry with a real person's NIK makes a practice Person: the real row is never touched.
    practice = practice_field()

    objects = practice_manager(PersonQuerySet)

    class Meta:
        verbose_name = _("pelaku perjalanan")
        verbose_name_plural = _("pelaku perjalanan")
        constraints = [
            models.UniqueConstraint(fields=["id_type", "id_number", "practice"], name="person_unique_document"),
        ]

    def __str__(self):
        return f"{self.name} ({self.masked_id})"

    @property
    def masked_id(self):
        """The document number as lists show it."""
        return mask_number(self.id_number, keep=4 if self.id_type == Person.IdType.NIK else 2)


def _code_cut(level):
    """The destination's code cut at `level`: the code of its regency, district or village (a
    destination above that level keeps its whole code, which no code of that level equals)."""
    return models.GeneratedField(
        expression=Substr("destination_code", 1, CODE_WIDTH[level]),
        output_field=models.CharField(max_length=CODE_WIDTH[level]),
        db_persist=True,
        editable=False,
    )


# Where an area of each level finds its arrivals by equality (regions.models.code_within_columns).
DESTINATION_COLUMNS = {
    Region.Level.REGENCY: "regency_code",
    Region.Level.DISTRICT: "district_code",
    Region.Level.VILLAGE: "village_code",
    Region.Level.HAMLET: "destination_code",  # nothing lies below a hamlet
}


class ArrivalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Arrivals `user` may see: bound for their jurisdiction, or their post's entries of today."""
        return access.scope(
            self, user, "destination_code", post=("checkpoint_id", "arrived_at"), columns=DESTINATION_COLUMNS
        )

    def bound_for(self, region):
        """Arrivals whose destination lies within `region`."""
        return self.filter(code_within_columns("destination_code", [region.code], DESTINATION_COLUMNS))


class Arrival(models.Model):
    """One crossing of the border by one person at one checkpoint."""

    class Purpose(models.TextChoices):
        HOMECOMING = "homecoming", _("Pulang kampung / mudik")
        WORK = "work", _("Bekerja")
        LOGISTICS = "logistics", _("Angkutan barang / logistik")
        OFFICIAL = "official", _("Tugas dinas")
        HEALTH = "health", _("Tenaga kesehatan / berobat")
        FAMILY = "family", _("Mengunjungi keluarga")
        OTHER = "other", _("Lainnya")

    class Transport(models.TextChoices):
        CAR = "car", _("Mobil pribadi")
        MOTORCYCLE = "motorcycle", _("Sepeda motor")
        BUS = "bus", _("Bus")
        TRAVEL = "travel", _("Travel / angkutan sewa")
        TRUCK = "truck", _("Truk")
        PLANE = "plane", _("Pesawat")
        SHIP = "ship", _("Kapal")
        OTHER = "other", _("Lainnya")

    class Symptom(models.TextChoices):
        FEVER = "fever", _("Demam")
        COUGH = "cough", _("Batuk")
        SORE_THROAT = "sore_throat", _("Sakit tenggorokan")
        BREATHLESS = "breathless", _("Sesak napas")
        SMELL_TASTE = "smell_taste", _("Hilang penciuman / perasa")
        FLU = "flu", _("Pilek")
        FATIGUE = "fatigue", _("Lemas")
        DIARRHOEA = "diarrhoea", _("Diare")

    class VehicleRole(models.TextChoices):
        DRIVER = "driver", _("Pengemudi")
        PASSENGER = "passenger", _("Penumpang")

    entry_key = models.UUIDField(
        _("kunci entri"),
        unique=True,
        default=uuid.uuid4,
        editable=False,
        help_text=_("Dibuat oleh perangkat petugas; kiriman ulang dengan kunci yang sama tidak dicatat dua kali."),
    )
    person = models.ForeignKey(
        Person, verbose_name=_("pelaku perjalanan"), on_delete=models.PROTECT, related_name="arrivals"
    )
    checkpoint = models.ForeignKey(
        Checkpoint, verbose_name=_("posko"), on_delete=models.PROTECT, related_name="arrivals"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    arrived_at = models.DateTimeField(_("waktu tiba"), default=timezone.now)
    origin = models.ForeignKey(Region, verbose_name=_("daerah asal"), on_delete=models.PROTECT, related_name="+")
    origin_place = models.CharField(_("tempat asal"), max_length=120, blank=True)
    destination = models.ForeignKey(Region, verbose_name=_("tujuan"), on_delete=models.PROTECT, related_name="+")
    # Denormalised from destination so "bound for my area" is one indexed prefix scan.
    destination_code = models.CharField(_("kode tujuan"), max_length=20, editable=False)
    # The destination's regency, district and village, so that an area of any level is one
    # column's equality and its newest arrivals one walk down an index on (column, time).
    regency_code = _code_cut(Region.Level.REGENCY)
    district_code = _code_cut(Region.Level.DISTRICT)
    village_code = _code_cut(Region.Level.VILLAGE)
    destination_address = models.CharField(_("alamat tujuan"), max_length=255)
    purpose = models.CharField(_("keperluan"), max_length=12, choices=Purpose.choices)
    transport = models.CharField(_("moda transportasi"), max_length=12, choices=Transport.choices)
    plate = models.CharField(_("nomor polisi kendaraan"), max_length=12, blank=True)
    vehicle_group = models.UUIDField(_("rombongan kendaraan"), null=True, blank=True, db_index=True)
    vehicle_role = models.CharField(_("dalam kendaraan"), max_length=9, choices=VehicleRole.choices, blank=True)
    temperature = models.DecimalField(_("suhu tubuh (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    symptoms = models.JSONField(_("gejala"), default=list, blank=True)
    isolation_required = models.BooleanField(_("wajib isolasi mandiri"), default=False)
    # The traveller's name as typed at this crossing: a later entry may change the person's name
    # (confirmed by its officer, kept in PersonChange); this arrival keeps the one it was made with.
    entered_name = models.CharField(_("nama saat dicatat"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    practice = practice_field()

    objects = practice_manager(ArrivalQuerySet)

    class Meta:
        verbose_name = _("kedatangan")
        verbose_name_plural = _("kedatangan")
        ordering = ["-arrived_at", "-id"]
        indexes = [
            models.Index(fields=["destination_code"], name="arrival_dest_prefix", opclasses=["varchar_pattern_ops"]),
            # The dispatch window's unconfirmed arrivals per area are counted from this index alone
            # (the area and the mode are in it), not from the window's rows spread over the table.
            models.Index(
                fields=["arrived_at", "id"], name="arrival_time_cover", include=["destination_code", "practice"]
            ),
            models.Index(fields=["checkpoint", "arrived_at"], name="arrival_checkpoint_time"),
            # An area's newest arrivals first, read in the list's order and stopped after a page.
            models.Index(fields=["regency_code", "-arrived_at", "-id"], name="arrival_regency_time"),
            models.Index(fields=["district_code", "-arrived_at", "-id"], name="arrival_district_time"),
            models.Index(fields=["village_code", "-arrived_at", "-id"], name="arrival_village_time"),
            models.Index(fields=["destination_code", "-arrived_at", "-id"], name="arrival_destination_time"),
        ]

    def __str__(self):
        return f"{self.person} → {self.destination_code} ({timezone.localtime(self.arrived_at):%d-%m-%Y %H:%M})"

    def save(self, *args, **kwargs):
        self._derive_destination_code()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        self._derive_destination_code()
        super().clean_fields(exclude)

    def _derive_destination_code(self):
        """The destination's code, stored beside it so "bound for my area" is one indexed prefix scan."""
        if self.destination_id is not None:
            self.destination_code = self.destination.code


class TravelStop(models.Model):
    """A place the traveller stayed in the 14 days before arriving."""

    arrival = models.ForeignKey(
        Arrival, verbose_name=_("kedatangan"), on_delete=models.CASCADE, related_name="travel_stops"
    )
    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("tempat"), max_length=120, blank=True)
    date_from = models.DateField(_("dari tanggal"))
    date_to = models.DateField(_("sampai tanggal"))

    class Meta:
        verbose_name = _("riwayat perjalanan")
        verbose_name_plural = _("riwayat perjalanan")
        ordering = ["date_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_to__gte=models.F("date_from")), name="travelstop_dates_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.date_from:%d-%m-%Y}–{self.date_to:%d-%m-%Y}"


class Change(models.Model):
    """Who changed a record's details, when, and each field's old → new value (abstract)."""

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        on_delete=models.PROTECT,  # an author is deactivated, never deleted (SECURITY.md)
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("waktu perubahan"), default=timezone.now)
    # [{"field": "phone", "label": "nomor HP", "old": "+62…", "new": "+62…"}, …], values as shown to
    # people; a field whose shown value depends on the language (a choice, the symptoms) also keeps
    # its stored value ("old_value", "new_value"), and is shown from it in the reader's language.
    changes = models.JSONField(_("perubahan"), default=list)

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-id"]

    def lines(self):
        """The changed fields, labelled in the reader's language (the stored label is the writer's)."""
        return changed_lines(self.changes)


class ArrivalChange(Change):
    """One correction of an arrival by its officer: who, when, and each field's old → new value."""

    arrival = models.ForeignKey(Arrival, verbose_name=_("kedatangan"), on_delete=models.CASCADE, related_name="changes")

    class Meta(Change.Meta):
        verbose_name = _("riwayat perubahan")
        verbose_name_plural = _("riwayat perubahan")

    def __str__(self):
        return f"{self.arrival_id} {timezone.localtime(self.changed_at):%d-%m-%Y %H:%M}"


def shown_value(model, field: str, value) -> str:
    """A field's value as a person reads it, in the active language (change histories)."""
    if value in (None, "", []):
        return "—"
    if field == "symptoms":
        return ", ".join(str(Arrival.Symptom(v).label) for v in value if v in Arrival.Symptom.values)
    model_field = model._meta.get_field(field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def worded_by_language(model, field: str) -> bool:
    """Whether a field's shown value depends on the language: its stored value is kept beside it."""
    return field == "symptoms" or bool(model._meta.get_field(field).choices)


def change_line(model, field: str, old, new) -> dict:
    """One line of a change history: the field, its label, and old → new as people read them."""
    line = {
        "field": field,
        "label": str(model._meta.get_field(field).verbose_name),
        "old": shown_value(model, field, old),
        "new": shown_value(model, field, new),
    }
    if worded_by_language(model, field):
        line.update(old_value=old, new_value=new)
    return line


def changed_lines(changes):
    """[{field, old, new, label}] in the reader's language: labels from the models, and values worded
    by the language from their stored values (older lines without them keep the writer's words)."""
    for item in changes:
        line = {**item}
        for model in (Person, Arrival):
            try:
                line["label"] = model._meta.get_field(item["field"]).verbose_name
            except FieldDoesNotExist:
                continue
            for side in ("old", "new"):
                if f"{side}_value" in item:
                    line[side] = shown_value(model, item["field"], item[f"{side}_value"])
            break
        yield line


def same_name(a: str, b: str) -> bool:
    """Whether two typed names are the same name (spacing and letter case aside)."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


class PersonChange(Change):
    """A change of a traveller's stored details made by a later entry: who, when, at which arrival,
    each field's old → new value. A change of name needs the officer's confirmation first."""

    person = models.ForeignKey(
        Person, verbose_name=_("pelaku perjalanan"), on_delete=models.CASCADE, related_name="changes"
    )
    arrival = models.ForeignKey(
        Arrival, verbose_name=_("kedatangan"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(Change.Meta):
        verbose_name = _("perubahan data orang")
        verbose_name_plural = _("perubahan data orang")

    def __str__(self):
        return f"{self.person_id} {timezone.localtime(self.changed_at):%d-%m-%Y %H:%M}"


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Uploads `user` made themselves (an officer's paper backlog is theirs to finish)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(officer=user)


class ImportBatch(models.Model):
    """One uploaded paper-backlog file: its rows, processed in chunks, and the row → result report."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("petugas"), on_delete=models.CASCADE, related_name="+"
    )
    checkpoint = models.ForeignKey(Checkpoint, verbose_name=_("posko"), on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("nama berkas"), max_length=255)
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)
    # The rows as read from the file (header → text), kept until processed; the report grows alongside.
    rows = models.JSONField(_("baris"), default=list)
    practice = practice_field()
    report = models.JSONField(_("laporan"), default=list)
    processed = models.PositiveIntegerField(_("baris diproses"), default=0)
    stored = models.PositiveIntegerField(_("tersimpan"), default=0)
    duplicates = models.PositiveIntegerField(_("sudah ada"), default=0)
    failed = models.PositiveIntegerField(_("galat"), default=0)

    objects = practice_manager(ImportBatchQuerySet)

    class Meta:
        verbose_name = _("unggahan formulir kertas")
        verbose_name_plural = _("unggahan formulir kertas")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.file_name} ({timezone.localtime(self.uploaded_at):%d-%m-%Y %H:%M})"

    @property
    def total(self):
        return len(self.rows)

    @property
    def done(self):
        return self.processed >= len(self.rows)
