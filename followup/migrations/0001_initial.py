"""The follow-up's models, moved from monitoring: created in the migration state only, on the tables
monitoring made (monitoring 0008 removes them from its own state; 0002 renames the tables)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("regions", "0001_initial"),
        ("travellers", "0006_identity_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("monitoring", "0007_isolation_closed_on"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ExemptionCategory",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="nama")),
                        (
                            "purpose",
                            models.CharField(
                                choices=[
                                    ("homecoming", "Pulang kampung / mudik"),
                                    ("work", "Bekerja"),
                                    ("logistics", "Angkutan barang / logistik"),
                                    ("official", "Tugas dinas"),
                                    ("health", "Tenaga kesehatan / berobat"),
                                    ("family", "Mengunjungi keluarga"),
                                    ("other", "Lainnya"),
                                ],
                                max_length=12,
                                unique=True,
                                verbose_name="keperluan perjalanan",
                            ),
                        ),
                        ("active", models.BooleanField(default=True, verbose_name="berlaku")),
                    ],
                    options={
                        "db_table": "monitoring_exemptioncategory",
                        "verbose_name": "kategori pengecualian isolasi",
                        "verbose_name_plural": "kategori pengecualian isolasi",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="ArrivalConfirmation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "outcome",
                            models.CharField(
                                choices=[("found", "Ditemukan di alamat"), ("not_found", "Tidak ditemukan")],
                                max_length=10,
                                verbose_name="hasil",
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=500, verbose_name="catatan")),
                        ("confirmed_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="waktu")),
                        (
                            "arrival",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="confirmation",
                                to="travellers.arrival",
                                verbose_name="kedatangan",
                            ),
                        ),
                        (
                            "confirmed_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="oleh",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "monitoring_arrivalconfirmation",
                        "verbose_name": "konfirmasi kedatangan",
                        "verbose_name_plural": "konfirmasi kedatangan",
                    },
                ),
                migrations.CreateModel(
                    name="DigestSubscription",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("active", models.BooleanField(default=True, verbose_name="kirim ringkasan harian")),
                        ("last_sent_on", models.DateField(blank=True, null=True, verbose_name="terakhir dikirim")),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="digest",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="pengguna",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "monitoring_digestsubscription",
                        "verbose_name": "langganan ringkasan harian",
                        "verbose_name_plural": "langganan ringkasan harian",
                    },
                ),
                migrations.CreateModel(
                    name="IsolationOrder",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "destination_code",
                            models.CharField(editable=False, max_length=20, verbose_name="kode tujuan"),
                        ),
                        ("reason", models.CharField(max_length=255, verbose_name="dasar isolasi")),
                        ("start_date", models.DateField(verbose_name="mulai")),
                        ("days", models.PositiveSmallIntegerField(verbose_name="lama (hari)")),
                        ("end_date", models.DateField(editable=False, verbose_name="selesai")),
                        (
                            "state",
                            models.CharField(
                                choices=[("active", "Aktif"), ("closed", "Ditutup lebih awal")],
                                default="active",
                                max_length=8,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "closed_on",
                            models.DateField(blank=True, editable=False, null=True, verbose_name="ditutup pada"),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="dibuat")),
                        (
                            "arrival",
                            models.ForeignKey(
                                help_text="Kedatangan terakhir yang memulai atau memulai ulang isolasi.",
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="isolation_orders",
                                to="travellers.arrival",
                                verbose_name="kedatangan",
                            ),
                        ),
                        (
                            "person",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="travellers.person",
                                verbose_name="pelaku perjalanan",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "monitoring_isolationorder",
                        "verbose_name": "perintah isolasi",
                        "verbose_name_plural": "perintah isolasi",
                        "ordering": ["end_date", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="IsolationEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("opened", "Isolasi dimulai"),
                                    ("period", "Lama isolasi diubah"),
                                    ("closed", "Ditutup lebih awal"),
                                    ("reopened", "Dibuka kembali"),
                                    ("restarted", "Dimulai ulang (masuk kembali)"),
                                    ("corrected", "Data kedatangan dikoreksi posko"),
                                ],
                                max_length=10,
                                verbose_name="jenis",
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=500, verbose_name="alasan / catatan")),
                        ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="waktu")),
                        (
                            "by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="oleh",
                            ),
                        ),
                        (
                            "order",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="followup.isolationorder",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "monitoring_isolationevent",
                        "verbose_name": "riwayat isolasi",
                        "verbose_name_plural": "riwayat isolasi",
                        "ordering": ["at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Check",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("day", models.DateField(verbose_name="tanggal")),
                        ("at_home", models.BooleanField(verbose_name="berada di rumah")),
                        ("symptoms", models.JSONField(blank=True, default=list, verbose_name="gejala")),
                        (
                            "temperature",
                            models.DecimalField(
                                blank=True, decimal_places=1, max_digits=3, null=True, verbose_name="suhu tubuh (°C)"
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=500, verbose_name="catatan")),
                        ("checked_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="waktu")),
                        (
                            "checked_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="oleh",
                            ),
                        ),
                        (
                            "order",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="checks",
                                to="followup.isolationorder",
                                verbose_name="isolasi",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "monitoring_check",
                        "verbose_name": "pemantauan harian",
                        "verbose_name_plural": "pemantauan harian",
                        "ordering": ["checked_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="ViolationReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "destination_code",
                            models.CharField(editable=False, max_length=20, verbose_name="kode tujuan"),
                        ),
                        (
                            "recipient",
                            models.CharField(
                                choices=[
                                    ("police", "Bhabinkamtibmas desa/nagari"),
                                    ("regency", "Gugus tugas kabupaten/kota"),
                                ],
                                max_length=8,
                                verbose_name="ditujukan kepada",
                            ),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[("open", "Baru"), ("acknowledged", "Diterima"), ("closed", "Selesai")],
                                default="open",
                                max_length=12,
                                verbose_name="status",
                            ),
                        ),
                        ("description", models.TextField(max_length=2000, verbose_name="uraian pelanggaran")),
                        (
                            "action_taken",
                            models.TextField(blank=True, max_length=2000, verbose_name="tindakan yang diambil"),
                        ),
                        (
                            "raised_at",
                            models.DateTimeField(default=django.utils.timezone.now, verbose_name="dilaporkan"),
                        ),
                        (
                            "failed_check",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="report",
                                to="followup.check",
                                verbose_name="pemantauan",
                            ),
                        ),
                        (
                            "order",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reports",
                                to="followup.isolationorder",
                                verbose_name="isolasi",
                            ),
                        ),
                        (
                            "raised_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="pelapor",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "monitoring_violationreport",
                        "verbose_name": "laporan pelanggaran isolasi",
                        "verbose_name_plural": "laporan pelanggaran isolasi",
                        "ordering": ["-raised_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="ViolationReportEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[("open", "Baru"), ("acknowledged", "Diterima"), ("closed", "Selesai")],
                                max_length=12,
                                verbose_name="status",
                            ),
                        ),
                        ("note", models.TextField(blank=True, max_length=2000, verbose_name="catatan")),
                        ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="waktu")),
                        (
                            "by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="oleh",
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="followup.violationreport",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "monitoring_violationreportevent",
                        "verbose_name": "riwayat laporan",
                        "verbose_name_plural": "riwayat laporan",
                        "ordering": ["at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="FlaggedRegion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("date_from", models.DateField(verbose_name="dari tanggal")),
                        ("date_to", models.DateField(verbose_name="sampai tanggal")),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="keterangan")),
                        (
                            "region",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="regions.region",
                                verbose_name="wilayah",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "monitoring_flaggedregion",
                        "verbose_name": "wilayah berisiko",
                        "verbose_name_plural": "wilayah berisiko",
                        "ordering": ["-date_from"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("date_to__gte", models.F("date_from"))),
                                name="flaggedregion_dates_ordered",
                            )
                        ],
                    },
                ),
                migrations.AddIndex(
                    model_name="isolationorder",
                    index=models.Index(
                        fields=["destination_code"], name="isolation_dest_prefix", opclasses=["varchar_pattern_ops"]
                    ),
                ),
                migrations.AddIndex(
                    model_name="isolationorder",
                    index=models.Index(fields=["state", "end_date"], name="isolation_state_end"),
                ),
                migrations.AddConstraint(
                    model_name="isolationorder",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("days__gte", 1), ("days__lte", 90)), name="isolation_days_range"
                    ),
                ),
                migrations.AddIndex(
                    model_name="check",
                    index=models.Index(fields=["order", "day"], name="check_order_day"),
                ),
                migrations.AddIndex(
                    model_name="violationreport",
                    index=models.Index(
                        fields=["destination_code"], name="report_dest_prefix", opclasses=["varchar_pattern_ops"]
                    ),
                ),
            ],
        ),
    ]
