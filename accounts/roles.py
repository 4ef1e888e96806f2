"""The roles of design.md: what each may do (permissions) and at which level it reaches."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Region

from . import access


class Role(models.TextChoices):
    OFFICER = "officer", _("Petugas posko")
    PROVINCE = "province", _("Gugus tugas provinsi")
    REGENCY = "regency", _("Gugus tugas kabupaten/kota")
    DISTRICT = "district", _("Camat")
    VILLAGE = "village", _("Wali nagari / kepala desa / lurah")
    HAMLET = "hamlet", _("Kepala jorong / kampung / dusun")
    BABINSA = "babinsa", _("Babinsa")
    POLICE = "police", _("Bhabinkamtibmas")
    # Other government systems reading through the exchange API (exchange/): accounts without a
    # password, holding tokens; one role sees identity numbers masked, the other whole.
    SYSTEM = "system", _("Sistem lain (NIK disamarkan)")
    SYSTEM_NIK = "system_nik", _("Sistem kesehatan (NIK utuh)")


# The level a role's jurisdictions must have; officers reach their checkpoint instead.
JURISDICTION_LEVEL = {
    Role.PROVINCE: Region.Level.PROVINCE,
    Role.REGENCY: Region.Level.REGENCY,
    Role.DISTRICT: Region.Level.DISTRICT,
    Role.VILLAGE: Region.Level.VILLAGE,
    Role.HAMLET: Region.Level.HAMLET,
    Role.BABINSA: Region.Level.VILLAGE,
    Role.POLICE: Region.Level.VILLAGE,
}
# System accounts (Role.SYSTEM, Role.SYSTEM_NIK) have no entry: they reach regions of any level in
# the province (a regency's health office, the provincial dashboard).

# Capabilities, as permissions on accounts.User (see User.Meta.permissions).
ENTER_ARRIVALS = "enter_arrivals"
VIEW_ARRIVALS = "view_arrivals"
EXPORT_ARRIVALS = "export_arrivals"
RECORD_CHECKS = "record_checks"
RAISE_REPORTS = "raise_reports"
HANDLE_REPORTS = "handle_reports"
VIEW_AUDIT = "view_audit"
MANAGE_ISOLATION = "manage_isolation"
MANAGE_HAMLETS = "manage_hamlets"
EXCHANGE_IDENTITY = "exchange_identity"

PERMISSIONS = [
    (ENTER_ARRIVALS, "Mencatat pelaku perjalanan di posko"),
    (VIEW_ARRIVALS, "Melihat kedatangan di wilayahnya"),
    (EXPORT_ARRIVALS, "Mengekspor daftar kedatangan"),
    (RECORD_CHECKS, "Mencatat pemantauan isolasi"),
    (RAISE_REPORTS, "Melaporkan pelanggaran isolasi ke polisi"),
    (HANDLE_REPORTS, "Menindaklanjuti laporan pelanggaran"),
    (VIEW_AUDIT, "Melihat siapa membuka data pribadi"),
    (MANAGE_ISOLATION, "Mengubah masa isolasi, menutup dan membuka kembali perintah isolasi"),
    (MANAGE_HAMLETS, "Memuat daftar jorong/kampung/dusun di wilayahnya"),
    (EXCHANGE_IDENTITY, "Menerima NIK/paspor utuh dan nomor HP melalui API pertukaran data"),
]

# Whoever visits an isolating traveller records the visit and, finding them away, reports it:
# the village head, the hamlet head, the Babinsa and the Bhabinkamtibmas alike.
# handle_reports: police for their villages; the regency task force for reports routed to it
# when a village has no active Bhabinkamtibmas (which reports reach whom: the level of the role).
ROLE_PERMISSIONS = {
    Role.OFFICER: [ENTER_ARRIVALS],
    Role.PROVINCE: [VIEW_ARRIVALS, EXPORT_ARRIVALS, VIEW_AUDIT, MANAGE_ISOLATION],
    Role.REGENCY: [VIEW_ARRIVALS, EXPORT_ARRIVALS, VIEW_AUDIT, MANAGE_ISOLATION, HANDLE_REPORTS, MANAGE_HAMLETS],
    # Whoever may export a kecamatan's arrivals sees who opened and exported them.
    Role.DISTRICT: [VIEW_ARRIVALS, EXPORT_ARRIVALS, VIEW_AUDIT, MANAGE_ISOLATION],
    Role.VILLAGE: [VIEW_ARRIVALS, RECORD_CHECKS, RAISE_REPORTS, MANAGE_ISOLATION, MANAGE_HAMLETS],
    Role.HAMLET: [VIEW_ARRIVALS, RECORD_CHECKS, RAISE_REPORTS],
    Role.BABINSA: [VIEW_ARRIVALS, RECORD_CHECKS, RAISE_REPORTS],
    Role.POLICE: [VIEW_ARRIVALS, RECORD_CHECKS, RAISE_REPORTS, HANDLE_REPORTS],
    # Systems only read. The national health platform keys its records by NIK: it needs the number
    # whole; a dashboard does not (docs/exchange.md, "Identity numbers").
    Role.SYSTEM: [VIEW_ARRIVALS],
    Role.SYSTEM_NIK: [VIEW_ARRIVALS, EXCHANGE_IDENTITY],
}

# Group names are fixed strings (not translated): they are data, matched by name.
ROLE_GROUP = {
    Role.OFFICER: "Petugas posko",
    Role.PROVINCE: "Gugus tugas provinsi",
    Role.REGENCY: "Gugus tugas kabupaten/kota",
    Role.DISTRICT: "Camat",
    Role.VILLAGE: "Wali nagari / kepala desa / lurah",
    Role.HAMLET: "Kepala jorong / kampung / dusun",
    Role.BABINSA: "Babinsa",
    Role.POLICE: "Bhabinkamtibmas",
    Role.SYSTEM: "Sistem lain (API)",
    Role.SYSTEM_NIK: "Sistem kesehatan (API, NIK utuh)",
}


def sync_role_groups(apps, schema_editor=None):
    """Create one group per role holding exactly its permissions (for data migrations)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=ROLE_GROUP[role])
        group.permissions.set(Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames))


def jurisdiction_errors(*, role, regions, checkpoint, province_code):
    """(field, message) pairs saying why `regions` and `checkpoint` do not fit `role`."""
    from regions.models import is_within

    errors = []
    if not role:
        if regions:
            errors.append(("jurisdictions", _("Akun tanpa peran (admin) tidak diberi wilayah.")))
        return errors
    if role == Role.OFFICER:
        if checkpoint is None:
            errors.append(("checkpoint", _("Petugas posko harus ditempatkan di sebuah posko.")))
        if regions:
            errors.append(
                ("jurisdictions", _("Petugas posko tidak diberi wilayah; jangkauannya adalah posko dan hari ini."))
            )
        return errors
    if checkpoint is not None:
        errors.append(("checkpoint", _("Hanya petugas posko yang ditempatkan di posko.")))
    level = JURISDICTION_LEVEL.get(role)
    if not regions:
        errors.append(("jurisdictions", _("Peran ini memerlukan paling sedikit satu wilayah.")))
    for region in regions:
        if level is not None and region.level != level:
            message = _("%(region)s bukan %(level)s; peran %(role)s hanya untuk wilayah tingkat itu.")
            params = {"region": region, "level": Region.Level(level).label.lower(), "role": Role(role).label}
            errors.append(("jurisdictions", message % params))
        elif not is_within(region.code, province_code):
            errors.append(("jurisdictions", _("%(region)s berada di luar provinsi ini.") % {"region": region}))
        elif region.retired:
            errors.append(("jurisdictions", _("%(region)s sudah tidak berlaku.") % {"region": region}))
    return errors


# Roles that reach a whole regency or the province must prove a second factor (TOTP).
TWO_FACTOR_ROLES = frozenset({Role.PROVINCE, Role.REGENCY})
# Accounts of other systems: they read through the exchange API with a token, never sign in.
SYSTEM_ROLES = frozenset({Role.SYSTEM, Role.SYSTEM_NIK})


def is_privileged(user):
    """Admins and task forces: two-factor required, stricter session limits."""
    return bool(
        user.is_authenticated and (user.is_staff or access.sees_everything(user) or user.role in TWO_FACTOR_ROLES)
    )
