"""Daily arrival counts for the overviews of large areas; they outlive the personal data (tallies.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts import access, practice


class ArrivalTallyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tallies of districts within `user`'s jurisdiction."""
        return access.scope(self, user, "destination_district")


class ArrivalTally(models.Model):
    """Arrivals per day, destination district, origin province and checkpoint; kept after a purge."""

    day = models.DateField(_("tanggal"))
    destination_district = models.CharField(_("kecamatan tujuan"), max_length=20)
    origin_province = models.CharField(_("provinsi asal"), max_length=20)
    checkpoint = models.ForeignKey(
        "checkpoints.Checkpoint", verbose_name=_("posko"), on_delete=models.PROTECT, related_name="+"
    )
    arrivals = models.PositiveIntegerField(_("kedatangan"), default=0)
    isolated = models.PositiveIntegerField(_("diisolasi"), default=0)

    objects = practice.RealOnlyManager.from_queryset(ArrivalTallyQuerySet)()

    class Meta:
        verbose_name = _("rekap kedatangan harian")
        verbose_name_plural = _("rekap kedatangan harian")
        ordering = ["-day", "destination_district"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "destination_district", "origin_province", "checkpoint"], name="tally_unique_cell"
            )
        ]
        # The overview sums a window of days from the index alone, without visiting the table's rows.
        indexes = [
            models.Index(
                fields=["day", "destination_district"],
                include=["origin_province", "checkpoint", "arrivals"],
                name="tally_day_cover",
            )
        ]

    def __str__(self):
        return f"{self.day:%d-%m-%Y} {self.destination_district} ← {self.origin_province}: {self.arrivals}"


class TallyDay(models.Model):
    """A day whose arrivals have all been added to ArrivalTally (tallies.tally_day)."""

    day = models.DateField(_("tanggal"), unique=True)
    tallied_at = models.DateTimeField(_("direkap pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("hari yang sudah direkap")
        verbose_name_plural = _("hari yang sudah direkap")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day:%d-%m-%Y}"
