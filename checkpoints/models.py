from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class CheckpointQuerySet(models.QuerySet):
    def active(self):
        """Posts in service now."""
        return self.filter(active=True)


class Checkpoint(models.Model):
    """A border post where officers enter incoming travellers."""

    class Kind(models.TextChoices):
        LAND = "land", _("Darat")
        AIR = "air", _("Udara")
        SEA = "sea", _("Laut")

    name = models.CharField(_("nama"), max_length=120)
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    kind = models.CharField(_("jenis"), max_length=4, choices=Kind.choices, default=Kind.LAND)
    regency = models.ForeignKey(
        Region,
        verbose_name=_("kabupaten/kota lokasi"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.REGENCY},
    )
    borders = models.ForeignKey(
        Region,
        verbose_name=_("berbatasan dengan provinsi"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"level": Region.Level.PROVINCE},
        help_text=_("Kosongkan untuk bandara dan pelabuhan."),
    )
    active = models.BooleanField(_("aktif"), default=True)

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("posko")
        verbose_name_plural = _("posko")
        ordering = ["name"]

    def __str__(self):
        return self.name
