"""Template tags of the offline entry: the outbox script on officers' pages, the entry form's settings."""

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, json_script
from django.utils.translation import gettext as _

from regions.models import Region

from ..forms import HISTORY_DAYS, TravellerForm, TravelStopForm, TripForm
from ..imports import COLUMNS, ENTRY_KEY_HEADER
from ..offline import offline_config
from ..views import REPEAT_HOURS

register = template.Library()


@register.simple_tag(takes_context=True)
def offline_outbox(context):
    """The outbox script (sends entries queued offline) and its settings, for an officer's pages."""
    request = context["request"]
    return format_html(
        '{}<script src="{}"></script>',
        json_script(offline_config(request.user), "sipantau-outbox-config"),
        static("js/offline-queue.js"),
    )


@register.simple_tag
def offline_entry_config():
    """The entry form's browser-side rules and texts: province codes for the NIK check, messages."""
    provinces = sorted(Region.objects.filter(level=Region.Level.PROVINCE).values_list("code", flat=True))
    texts = {
        "nik_digits": _("NIK hanya berisi angka (16 angka, tanpa huruf)."),
        "nik_length": _("NIK harus 16 angka; yang diketik %(count)s angka."),
        "nik_province": _("Dua angka pertama NIK (%(code)s) bukan kode provinsi yang dikenal."),
        "nik_date": _(
            "Angka ke-7 sampai ke-12 NIK (%(digits)s) bukan tanggal lahir yang mungkin "
            "(tanggal, bulan, tahun; tanggal ditambah 40 untuk perempuan)."
        ),
        "nik_serial": _("Empat angka terakhir NIK tidak boleh 0000."),
        "nik_sex": _("Jenis kelamin tidak cocok dengan NIK."),
        "nik_birth": _("Tanggal lahir tidak cocok dengan NIK (menurut NIK: %(date)s)."),
        "passport": _("Nomor paspor hanya berisi huruf dan angka, 5 sampai 20 karakter."),
        "nationality": _("Isi kewarganegaraan pemegang paspor (kode dua huruf)."),
        "sex": _("Pilih jenis kelamin."),
        "required": _("Isian ini wajib diisi."),
        "temperature": _("Suhu tubuh antara 34 dan 43 °C."),
        "check_form": _("Belum tersimpan. Perbaiki isian yang ditandai merah."),
        "queued": _("Disimpan di perangkat ini: %(names)s."),
        "queued_form": _(
            "Tidak terkirim sekarang: entri disimpan di perangkat ini dan dikirim otomatis saat ada sinyal."
        ),
        "count_fix": _("%(count)s entri perlu diperbaiki"),
        "count_waiting": _("%(count)s entri menunggu dikirim"),
        "count_sending": _("Mengirim… %(count)s entri tersisa"),
        "all_sent": _("Semua entri sudah terkirim."),
        "offline": _("Tidak ada sinyal. Entri disimpan di perangkat ini."),
        "server_down": _("Server belum dapat dihubungi. Entri disimpan di perangkat ini dan dicoba lagi otomatis."),
        "last_sent": _("Terakhir terkirim: %(when)s WIB"),
        "login_needed": _(
            "Sesi Anda berakhir. Masuk kembali; entri yang menunggu tetap tersimpan dan dikirim setelah itu."
        ),
        "login_link": _("Masuk kembali"),
        "not_officer": _("Akun ini tidak dapat mencatat kedatangan; entri yang menunggu tidak dikirim."),
        "other_officer": _("%(count)s entri milik petugas lain menunggu petugas itu masuk di perangkat ini."),
        "expiry_warning": _(
            "Perhatian: %(count)s entri sudah menunggu sejak %(since)s WIB. Cari sinyal dan kirim, atau simpan "
            "sebagai berkas untuk diunggah di halaman Formulir kertas."
        ),
        "overdue": _(
            "%(count)s entri belum terkirim lebih dari %(hours)s jam. Entri itu tetap di perangkat ini: kirim "
            "sekarang bila ada sinyal, atau simpan sebagai berkas lalu unggah di halaman Formulir kertas "
            "(dari perangkat lain pun bisa)."
        ),
        "file_saved": _(
            "Berkas %(name)s tersimpan (%(count)s entri). Unggah di halaman Formulir kertas; entri yang sudah "
            "diunggah tidak tercatat dua kali bila kemudian terkirim dari perangkat ini."
        ),
        "fix_title": _("Perlu diperbaiki"),
        "fix_help": _("Server menolak entri berikut. Buka, perbaiki, lalu simpan lagi; atau buang."),
        "fix_open": _("Buka dan perbaiki"),
        "fix_discard": _("Buang"),
        "fix_confirm": _("Buang entri %(name)s? Data ini akan hilang dari perangkat ini dan tidak tercatat."),
        "fix_opened": _("Entri yang ditolak dibuka di formulir. Perbaiki isian yang ditandai lalu simpan."),
        "send_now": _("Kirim sekarang"),
        "nik_count": _("%(count)s dari 16 angka"),
        "nik_info": _("Menurut NIK: %(sex)s, lahir %(date)s. Cocokkan dengan kartu."),
        "sex_L": _("laki-laki"),
        "sex_P": _("perempuan"),
        # The same texts as the server's checks (forms.travel_stop_errors, the entry form's repeat warning).
        "stop_order": _("Tanggal mulai harus sebelum tanggal selesai."),
        "stop_window": _("Riwayat perjalanan hanya untuk 14 hari sebelum tiba (%(start)s sampai %(end)s)."),
        "repeat_title": _("Sudah dicatat di perangkat ini dalam 6 jam terakhir:"),
        "repeat_confirm": _("Ya, ini kedatangan baru. Tetap simpan."),
        "person": _("Orang ke-%(n)s"),
    }
    # The paper import's columns: unsent entries saved as a file upload there (travellers/imports.py).
    file_columns = [[header, field] for header, field, _help in COLUMNS] + [[ENTRY_KEY_HEADER, "entry_key"]]
    config = {
        "provinces": provinces,
        "texts": texts,
        "file_columns": file_columns,
        "history_days": HISTORY_DAYS,
        "repeat_hours": REPEAT_HOURS,
    }
    return json_script(config, "sipantau-entry-config")


@register.simple_tag
def offline_queue_config():
    """What the queue list needs: its texts, and every field's label to say in words why the server refused."""
    labels = {}
    for form in (TripForm, TravellerForm):
        labels.update({name: str(field.label) for name, field in form.base_fields.items() if field.label})
    labels["travel_stops"] = str(_("Riwayat perjalanan"))
    texts = {
        "state_waiting": _("Menunggu dikirim"),
        "state_rejected": _("Ditolak server"),
        "entered_at": _("Dicatat %(when)s WIB"),
        "stop_row": _("Riwayat perjalanan, tempat ke-%(n)s"),
        "other_field": _("Isian lain"),
        "fix_open": _("Buka dan perbaiki"),
        "count": _("%(count)s entri belum terkirim di perangkat ini."),
    }
    config = {
        "texts": texts,
        "labels": labels,
        "stop_labels": {name: str(field.label) for name, field in TravelStopForm.base_fields.items()},
        "form_url": reverse("travellers:arrival_create"),
    }
    return json_script(config, "sipantau-queue-config")
