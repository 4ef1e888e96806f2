from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from checkpoints.models import Checkpoint
from regions.loading import load_regions
from regions.models import Region

DEMO_PASSWORD = "sipantau-demo"
DEMO_MAIL_DOMAIN = "sipantau.example"

# Sumatera Barat's 2020 border posts: nine land crossings and the airport.
CHECKPOINTS = [
    ("dharmasraya-jambi", "Posko Dharmasraya – Jambi", "land", "13.10", "15"),
    ("sijunjung-riau", "Posko Sijunjung – Riau", "land", "13.03", "14"),
    ("limapuluhkota-riau", "Posko Lima Puluh Kota – Riau", "land", "13.07", "14"),
    ("pesisirselatan-bengkulu", "Posko Pesisir Selatan – Bengkulu", "land", "13.01", "17"),
    ("pesisirselatan-jambi", "Posko Pesisir Selatan – Jambi", "land", "13.01", "15"),
    ("solokselatan-jambi", "Posko Solok Selatan – Jambi", "land", "13.11", "15"),
    ("pasaman-riau", "Posko Pasaman – Riau", "land", "13.08", "14"),
    ("pasaman-sumut", "Posko Pasaman – Sumatera Utara", "land", "13.08", "12"),
    ("pasamanbarat-sumut", "Posko Pasaman Barat – Sumatera Utara", "land", "13.12", "12"),
    ("bim", "Bandara Internasional Minangkabau", "air", "13.05", None),
]

DEMO_HAMLET = ("13.71.01.1002.01", "Tangah", "13.71.01.1002")

# username, first name, last name, role, jurisdiction codes
ACCOUNTS = [
    ("petugas", "Rina", "Petugas Posko", Role.OFFICER, []),
    ("provinsi", "Gugus Tugas", "Provinsi Sumbar", Role.PROVINCE, ["13"]),
    ("kabkota", "Gugus Tugas", "Kota Padang", Role.REGENCY, ["13.71"]),
    ("camat", "Camat", "Padang Selatan", Role.DISTRICT, ["13.71.01"]),
    ("lurah", "Lurah", "Alang Laweh", Role.VILLAGE, ["13.71.01.1002"]),
    ("kampung", "Kepala Kampung", "Tangah", Role.HAMLET, ["13.71.01.1002.01"]),
    ("babinsa", "Serka", "Babinsa", Role.BABINSA, ["13.71.01.1002", "13.71.01.1001"]),
    ("bhabin", "Aipda", "Bhabinkamtibmas", Role.POLICE, ["13.71.01.1002"]),
]


class Command(BaseCommand):
    help = "Create the demo checkpoints and one demo account per role (idempotent). Never in production."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DJANGO_DEBUG off (the passwords are public: never on real data).",
        )

    @transaction.atomic
    def handle(self, *args, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo creates accounts with a public password; it runs only with DJANGO_DEBUG=1 "
                "(or --allow-production on a throw-away database)."
            )
        if not Region.objects.filter(code=settings.SIPANTAU_PROVINCE).exists():
            load_regions(province=settings.SIPANTAU_PROVINCE)
        regions = {r.code: r for r in Region.objects.filter(level__lte=Region.Level.REGENCY)}

        for code, name, kind, regency, borders in CHECKPOINTS:
            Checkpoint.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "kind": kind,
                    "regency": regions[regency],
                    "borders": regions.get(borders) if borders else None,
                    "active": True,
                },
            )
        hamlet_code, hamlet_name, village_code = DEMO_HAMLET
        Region.objects.get_or_create(
            code=hamlet_code,
            defaults={
                "name": hamlet_name,
                "level": Region.Level.HAMLET,
                "kind": Region.Kind.KAMPUNG,
                "parent": Region.objects.get(code=village_code),
            },
        )

        post = Checkpoint.objects.get(code=CHECKPOINTS[0][0])
        rows = [("admin", "Admin (superuser)", "")]
        for username, first, last, role, codes in ACCOUNTS:
            user, _created = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "role": role,
                    "checkpoint": post if role == Role.OFFICER else None,
                    "is_active": True,
                    # .example never delivers: the digest shows on the console (EMAIL_URL's default).
                    "email": f"{username}@{DEMO_MAIL_DOMAIN}",
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.jurisdictions.set(Region.objects.filter(code__in=codes))
            rows.append((username, Role(role).label, user.reach_display()))
        admin, _created = User.objects.update_or_create(
            username="admin",
            defaults={
                "is_staff": True,
                "is_superuser": True,
                "first_name": "Admin",
                "role": "",
                "email": f"admin@{DEMO_MAIL_DOMAIN}",
            },
        )
        admin.set_password(DEMO_PASSWORD)
        admin.save()

        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(CHECKPOINTS)} checkpoints, {len(rows)} accounts."))
        self.stdout.write(f"Every demo account's password: {DEMO_PASSWORD}")
        width = max(len(r[0]) for r in rows)
        for username, role, reach in rows:
            self.stdout.write(f"  {username:<{width}}  {role} — {reach}" if reach else f"  {username:<{width}}  {role}")
        self.stdout.write(
            "admin, provinsi and kabkota need two-factor (TOTP): at their first login SIPANTAU shows a QR code\n"
            "(/akun/dua-langkah/daftar/); scan it with an authenticator app (Google Authenticator, Aegis,\n"
            "FreeOTP) or type the key shown there into it, then enter the 6-digit code. Keep the recovery codes."
        )
