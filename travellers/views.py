import csv
import uuid
from decimal import Decimal
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from accounts import practice

from . import imports
from .forms import (
    CorrectionTripForm,
    ImportForm,
    TravellerForm,
    TravellerFormSet,
    TravelStopFormSet,
    TripForm,
    correction_initial,
    post_regions_ahead,
)
from .models import Arrival, ImportBatch
from .services import arrival_correct, member_key, recent_repeats, vehicle_register
from .spreadsheets import neutralise

REPEAT_HOURS = 6
DAY_LIST_PAGE = 50
FEVER = Decimal("37.5")


def officer_required(view):
    """Officers placed at a post only (permission accounts.enter_arrivals); others get 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_posted_officer):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _entry_forms(request):
    data = request.POST if request.method == "POST" else None
    regions = post_regions_ahead(data)
    trip = TripForm(data, initial={"entry_key": uuid.uuid4()}, regions=regions)
    people = TravellerFormSet(data, prefix="orang", form_kwargs={"regions": regions})
    stops = TravelStopFormSet(data, prefix="riwayat", arrived_on=timezone.localdate(), form_kwargs={"regions": regions})
    if data is None:
        # The cursor waits in the NIK box: the officer starts typing as the traveller hands over the KTP.
        people.forms[0].fields["id_number"].widget.attrs["autofocus"] = True
    return trip, people, stops


def _people(people):
    """Each person's fields; passengers marked "same destination" take the first person's."""
    forms = [form for form in people.forms if not form.cleaned_data.get("DELETE")]
    result = [form.person_fields() for form in forms]
    first = result[0]
    for form, fields in zip(forms[1:], result[1:], strict=True):
        if form.cleaned_data.get("same_destination"):
            fields["destination"] = first["destination"]
            fields["destination_address"] = first["destination_address"]
    if len(result) > 1:
        first["vehicle_role"] = first["vehicle_role"] or Arrival.VehicleRole.DRIVER
        for fields in result[1:]:
            fields["vehicle_role"] = fields["vehicle_role"] or Arrival.VehicleRole.PASSENGER
    return result


def _saved_message(registrations):
    created = [r.arrival for r in registrations if r.created]
    if not created:
        return _("Entri ini sudah tersimpan sebelumnya; tidak dicatat dua kali.")
    names = ", ".join(arrival.person.name for arrival in created)
    return ngettext(
        "Tersimpan: %(names)s. Silakan catat pelaku perjalanan berikutnya.",
        "Tersimpan %(count)d orang: %(names)s. Silakan catat kendaraan berikutnya.",
        len(created),
    ) % {"count": len(created), "names": names}


@officer_required
def arrival_create(request):
    """The officer's entry form: one traveller, or a driver and passengers sharing a vehicle."""
    trip, people, stops = _entry_forms(request)
    repeats = []
    # A form opened in one mode (practice or real) and sent after the switch to the other is not stored.
    sent_mode = request.POST.get("practice", "") if request.method == "POST" else ""
    other_mode = sent_mode not in ("", "1" if practice.active() else "0")
    if other_mode:
        trip.is_valid()
        trip.add_error(None, _("Mode latihan berubah sejak formulir ini dibuka. Periksa isian, lalu simpan lagi."))
    elif request.method == "POST" and all([trip.is_valid(), people.is_valid(), stops.is_valid()]):
        entry_key = trip.cleaned_data["entry_key"]
        persons = _people(people)
        keys = [member_key(entry_key, i) for i in range(len(persons))]
        if not request.POST.get("confirm_repeat"):
            documents = [(p["id_type"], p["id_number"]) for p in persons]
            repeats = list(
                recent_repeats(
                    checkpoint_id=request.user.checkpoint_id, documents=documents, hours=REPEAT_HOURS, exclude_keys=keys
                )
            )
        if not repeats:
            try:
                registrations = vehicle_register(
                    officer=request.user,
                    entry_key=entry_key,
                    trip=trip.trip_fields(),
                    people=persons,
                    travel_stops=stops.stops(),
                )
            except ValidationError as error:
                trip.add_error(None, error.messages)
            else:
                messages.success(request, _saved_message(registrations))
                for form in people.forms:
                    for warning in form.warnings:
                        messages.warning(request, f"{form.cleaned_data.get('name')}: {warning}")
                return redirect("travellers:arrival_create")
    warnings = [w for form in people.forms for w in getattr(form, "warnings", [])]
    invalid = request.method == "POST" and not repeats
    context = {"trip": trip, "people": people, "stops": stops, "repeats": repeats, "warnings": warnings}
    return render(request, "travellers/arrival_form.html", context, status=400 if invalid else 200)


@officer_required
def arrival_today(request):
    """The officer's day: today's entries at their post, newest first, with counts."""
    arrivals = (
        Arrival.objects.visible_to(request.user)
        .select_related("person", "destination", "origin", "officer")
        .order_by("-arrived_at", "-id")
    )
    counts = arrivals.aggregate(
        total=Count("id"),
        mine=Count("id", filter=Q(officer=request.user)),
        vehicles=Count("vehicle_group", distinct=True),
        fever=Count("id", filter=Q(temperature__gte=FEVER)),
    )
    # A busy post enters a thousand people a day: one page would be half a megabyte on a weak signal.
    page = Paginator(arrivals, DAY_LIST_PAGE).get_page(request.GET.get("halaman"))
    context = {
        "arrivals": page.object_list,
        "page_obj": page,
        "list_start": counts["total"] - page.start_index() + 1,  # the list counts down, newest first
        "counts": counts,
        "fever": FEVER,
        "today": timezone.localdate(),
    }
    return render(request, "travellers/arrival_today.html", context)


@officer_required
def arrival_update(request, pk):
    """Correction of an entry by the officer who made it, until the end of that day."""
    arrival = get_object_or_404(
        Arrival.objects.visible_to(request.user)
        .filter(officer=request.user)
        .select_related("person", "person__home_region", "origin", "destination"),
        pk=pk,
    )
    data = request.POST if request.method == "POST" else None
    initial = correction_initial(arrival)
    trip = CorrectionTripForm(data, initial=initial)
    person = TravellerForm(data, initial=initial, prefix="orang-0", check_identity=False)
    if data is not None and trip.is_valid() & person.is_valid():
        values = {**trip.trip_fields(), **person.person_fields()}
        try:
            change = arrival_correct(arrival=arrival, officer=request.user, **values)
        except ValidationError as error:
            trip.add_error(None, error.messages)
        else:
            if change is None:
                messages.info(request, _("Tidak ada yang berubah."))
            else:
                messages.success(request, _("Perbaikan tersimpan: %(fields)s.") % {"fields": change_summary(change)})
            return redirect("travellers:arrival_today")
    context = {
        "arrival": arrival,
        "trip": trip,
        "person": person,
        "changes": arrival.changes.select_related("changed_by"),
    }
    return render(request, "travellers/arrival_update.html", context, status=400 if data is not None else 200)


def change_summary(change):
    return ", ".join(item["label"] for item in change.changes)


# ------------------------------------------------------------------------------
# Paper backlog: the printable form, the template, uploads
# ------------------------------------------------------------------------------
@officer_required
def paper_form(request):
    """A blank form to print (A4 or A5) for when the system cannot be reached."""
    size = "A5" if request.GET.get("ukuran", "").upper() == "A5" else "A4"
    context = {
        "size": size,
        "purposes": Arrival.Purpose.choices,
        "transports": Arrival.Transport.choices,
        "symptoms": Arrival.Symptom.choices,
        "passenger_rows": range(1, 5 if size == "A4" else 4),
        "stop_rows": range(1, 4 if size == "A4" else 3),
        "nik_boxes": range(16),
    }
    return render(request, "travellers/arrival_paper.html", context)


@officer_required
def import_template(request, fmt):
    """The upload template: the columns, one example row, and what to write in each."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    # The example's choices in the reader's language (the upload understands either language).
    example = imports.EXAMPLE | {"moda": Arrival.Transport.CAR.label, "keperluan": Arrival.Purpose.FAMILY.label}
    example = [str(example.get(header, "")) for header in imports.HEADERS]
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="templat-kedatangan.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 only with a byte-order mark
        writer = csv.writer(response)
        writer.writerow(imports.HEADERS)
        writer.writerow(example)
        return response
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kedatangan"
    sheet.append(imports.HEADERS)
    sheet.append(example)
    for index, header in enumerate(imports.HEADERS, start=1):
        column = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[column].width = max(14, len(header) + 4)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        # Text cells, so Excel keeps a NIK's 16 digits and a phone's leading zero.
        for row in range(2, 1002):
            sheet.cell(row=row, column=index).number_format = "@"
    guide = workbook.create_sheet("Petunjuk")
    guide.append([_("Kolom"), _("Isi")])
    for header, _field, help_text in imports.COLUMNS:
        guide.append([header, str(help_text)])
    guide.append([])
    guide.append([_("Moda"), ", ".join(str(label) for _code, label in Arrival.Transport.choices)])
    guide.append([_("Keperluan"), ", ".join(str(label) for _code, label in Arrival.Purpose.choices)])
    guide.append([_("Gejala"), ", ".join(str(label) for _code, label in Arrival.Symptom.choices)])
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 100
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="templat-kedatangan.xlsx"'
    workbook.save(response)
    return response


@officer_required
def import_start(request):
    """Upload a filled template; the rows wait in a batch to be processed."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.import_batch_create(officer=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("travellers:import_detail", pk=batch.pk)
    batches = ImportBatch.objects.visible_to(request.user).defer("rows", "report")[:10]
    context = {"form": form, "batches": batches, "columns": imports.COLUMNS}
    return render(request, "travellers/import_form.html", context, status=400 if form.errors else 200)


@transaction.non_atomic_requests  # each chunk commits on its own, so progress can be read meanwhile
@officer_required
def import_detail(request, pk):
    """A batch: progress, the row → result report; POST processes the next chunk."""
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    if request.method == "POST":
        if not batch.done:
            batch = imports.import_batch_process(batch=batch, officer=request.user)
        if request.headers.get("Accept") == "application/json":
            return JsonResponse(_progress(batch))
        return redirect("travellers:import_detail", pk=batch.pk)
    report = [{**entry, "texts": imports.report_texts(entry)} for entry in batch.report]
    context = {"batch": batch, "report": report, "progress": _progress(batch)}
    return render(request, "travellers/import_detail.html", context)


def _progress(batch):
    return {
        "processed": batch.processed,
        "total": batch.total,
        "done": batch.done,
        "stored": batch.stored,
        "duplicates": batch.duplicates,
        "failed": batch.failed,
    }


STATUS_LABELS = {"stored": _lazy("Tersimpan"), "duplicate": _lazy("Sudah ada"), "error": _lazy("Galat")}


@officer_required
def import_report(request, pk):
    """The row → result report of a batch as CSV."""
    batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="laporan-unggahan-{batch.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("baris"), _("nama"), _("hasil"), _("keterangan")])
    for entry in batch.report:
        writer.writerow(
            [
                entry["row"],
                neutralise(str(entry.get("name", ""))),
                str(STATUS_LABELS[entry["status"]]),
                neutralise("; ".join(imports.report_texts(entry))),
            ]
        )
    return response
