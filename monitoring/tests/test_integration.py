"""The follow-up inside the monitoring pages: overview figures, the arrival's follow-up, the isolation
filter and export column, and corrections at the post moving the follow-up with them."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from conftest import ALANG_LAWEH, SAWAHAN
from followup.models import IsolationEvent, IsolationOrder, ViolationReport
from followup.services import (
    arrival_confirm,
    isolation_check_record,
    isolation_close,
    violation_report_raise,
)
from travellers.models import Person
from travellers.tests.test_views import correction_data

from .conftest import NOW

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("monitoring:overview")
LIST = reverse("monitoring:arrival_list")
CSV = reverse("monitoring:arrival_export_csv")
BELAKANG_PONDOK = "13.71.01.1001"
WITHIN_PROVINCE = "13.06"  # Agam: no isolation


def detail(arrival):
    return reverse("monitoring:arrival_detail", args=[arrival.pk])


def text(response):
    return " ".join(response.content.decode().split())


@pytest.fixture
def world(clock, team, register, regions):
    """Alang Laweh: a checked order, a failed check reported to the police, a confirmed arrival;
    Belakang Pondok (same kecamatan): a running order; Sawahan (another kecamatan): one order."""
    alang = [register(), register()]
    pondok = register(destination=BELAKANG_PONDOK)
    sawahan = register(destination=SAWAHAN)
    local = register(origin=regions.get(code=WITHIN_PROVINCE))  # from inside the province: no order
    clock.move_to(NOW + dt.timedelta(days=1, hours=1))
    orders = {a.pk: IsolationOrder.objects.get(arrival=a) for a in (*alang, pondok, sawahan)}
    isolation_check_record(order=orders[alang[0].pk], user=team["village"], at_home=True)
    failed = isolation_check_record(order=orders[alang[1].pk], user=team["village"], at_home=False)
    violation_report_raise(failed_check=failed, user=team["village"], description="Tidak di rumah")
    arrival_confirm(arrival=alang[0], user=team["village"], outcome="found")
    return {"alang": alang, "pondok": pondok, "sawahan": sawahan, "local": local, "orders": orders}


# ---------------------------------------------------------------------------------------------
# 1. The overview shows the follow-up figures of the area in view
# ---------------------------------------------------------------------------------------------
def test_the_camats_overview_shows_follow_up_per_village(client, team, world):
    client.force_login(team["district"])
    page = text(client.get(OVERVIEW))
    assert "followup/followup.css" in page
    assert "Tindak lanjut" in page
    # Three running orders in the kecamatan (Sawahan lies outside it), one open police report.
    assert '<span class="stat-value">3</span> <span class="stat-label">isolasi berjalan</span>' in page
    assert '<span class="stat-value">1</span> <span class="stat-label">laporan polisi terbuka</span>' in page
    assert '<span class="stat-value">50%</span>' in page  # one of two checks found the person at home
    assert f'href="/pantau/?wilayah={ALANG_LAWEH}">Kelurahan Alang Laweh</a>' in page
    assert "Sawahan" not in page


def test_drilling_into_a_village_narrows_the_follow_up_figures(client, team, world):
    client.force_login(team["district"])
    page = text(client.get(OVERVIEW, {"wilayah": BELAKANG_PONDOK}))
    assert "Tindak lanjut di Kelurahan Belakang Pondok" in page
    assert '<span class="stat-value">1</span> <span class="stat-label">isolasi berjalan</span>' in page
    assert '<span class="stat-value">0</span> <span class="stat-label">laporan polisi terbuka</span>' in page


def test_a_drilled_area_outside_reach_shows_nothing_of_it(client, team, world):
    client.force_login(team["other_district"])  # Kecamatan Padang Barat: Sawahan only
    page = text(client.get(OVERVIEW, {"wilayah": ALANG_LAWEH}))  # not theirs: ignored
    assert '<span class="stat-value">1</span> <span class="stat-label">isolasi berjalan</span>' in page
    assert "Alang Laweh" not in page


def test_overview_query_count_stays_with_follow_up_data(clock, client, team, register, django_assert_max_num_queries):
    def grow(n):
        for i in range(n):
            arrival = register(destination=[ALANG_LAWEH, BELAKANG_PONDOK, SAWAHAN][i % 3])
            order = IsolationOrder.objects.get(arrival=arrival)
            check = isolation_check_record(order=order, user=team["province"], at_home=i % 2 == 0)
            if not check.at_home:
                violation_report_raise(failed_check=check, user=team["village"], description="Tidak di rumah")

    grow(3)
    client.force_login(team["regency"])
    client.get(OVERVIEW)
    with django_assert_max_num_queries(30) as small:
        client.get(OVERVIEW)
    budget = len(small.captured_queries)
    grow(9)
    with django_assert_max_num_queries(budget):
        response = client.get(OVERVIEW)
    assert '<span class="stat-value">12</span> <span class="stat-label">isolasi berjalan</span>' in text(response)


# ---------------------------------------------------------------------------------------------
# 1b. The arrival's page shows its confirmation and isolation order
# ---------------------------------------------------------------------------------------------
def test_arrival_page_shows_the_order_and_the_confirmation(client, team, world):
    arrival = world["alang"][0]
    order = world["orders"][arrival.pk]
    client.force_login(team["district"])
    page = text(client.get(detail(arrival)))
    assert "Ditemukan di alamat" in page and "oleh lurah" in page
    assert "Aktif" in page and "25 November 2026 – 9 Desember 2026" in page
    assert reverse("followup:isolation_detail", args=[order.pk]) in page
    assert "Karena kedatangan ini: Datang dari luar provinsi (Kota Jambi)." in page


def test_an_unconfirmed_arrival_offers_the_village_team_to_confirm(client, team, world):
    arrival = world["alang"][1]
    client.force_login(team["village"])
    page = text(client.get(detail(arrival)))
    assert "Belum dikonfirmasi · diteruskan ke camat" in page  # 25 hours since arrival
    assert reverse("followup:arrival_confirm", args=[arrival.pk]) in page


def test_an_arrival_without_an_order_says_so(client, team, world):
    client.force_login(team["village"])
    page = text(client.get(detail(world["local"])))
    assert "Tidak wajib isolasi: tidak ada perintah isolasi untuk orang ini." in page


def test_arrival_page_query_count_stays_with_follow_up_data(
    clock, client, team, register, make_person, django_assert_max_num_queries
):
    person = make_person()
    first = register(person=person)
    client.force_login(team["district"])
    client.get(detail(first))
    with django_assert_max_num_queries(30) as small:
        client.get(detail(first))
    budget = len(small.captured_queries)
    for day in range(1, 4):  # re-entries restart the order; more arrivals, events and checks
        clock.move_to(NOW + dt.timedelta(days=day))
        again = register(person=person)
        order = IsolationOrder.objects.get(arrival=again)
        isolation_check_record(order=order, user=team["village"], at_home=True)
    client.force_login(team["district"])  # three days later: a new session
    client.get(detail(first))
    with django_assert_max_num_queries(budget):
        response = client.get(detail(first))
    assert "Dari kedatangan 28 November 2026" in text(response)


# ---------------------------------------------------------------------------------------------
# 2. The list's and the export's isolation filter read the order's state
# ---------------------------------------------------------------------------------------------
def names_in(response):
    return [a["id"] for a in response.context["arrivals"]]


@pytest.fixture
def states(clock, team, register, regions):
    """One arrival per isolation state in Alang Laweh, plus one running order in Sawahan."""
    since = NOW - dt.timedelta(days=20)
    completed = register(arrived_at=since)
    closed = register(arrived_at=NOW - dt.timedelta(days=2))
    isolation_close(order=IsolationOrder.objects.get(arrival=closed), user=team["village"], reason="Salah input")
    running = register(arrived_at=NOW - dt.timedelta(days=1))
    none = register(arrived_at=NOW - dt.timedelta(days=1), origin=regions.get(code=WITHIN_PROVINCE))
    elsewhere = register(destination=SAWAHAN)
    return {"selesai": completed, "ditutup": closed, "aktif": running, "tidak": none, "elsewhere": elsewhere}


@pytest.mark.parametrize("state", ["aktif", "selesai", "ditutup", "tidak"])
def test_the_isolation_filter_reads_the_order_state(client, team, states, state):
    client.force_login(team["district"])
    response = client.get(LIST, {"dari": "2026-11-01", "sampai": "2026-11-25", "isolasi": state})
    assert response.status_code == 200
    assert names_in(response) == [states[state].pk]


def test_wajib_isolasi_means_any_order_in_reach(client, team, states):
    client.force_login(team["district"])
    response = client.get(LIST, {"dari": "2026-11-01", "sampai": "2026-11-25", "isolasi": "ya"})
    assert sorted(names_in(response)) == sorted(states[s].pk for s in ("aktif", "selesai", "ditutup"))
    assert "Isolasi s.d. 9 Des" in text(response) or "Isolasi s.d. 8 Des" in text(response)


def test_an_unknown_isolation_state_is_refused_in_indonesian(client, team, states):
    client.force_login(team["district"])
    response = client.get(LIST, {"isolasi": "mungkin"})
    assert response.status_code == 400
    assert "Pilih pilihan yang valid" in text(response) or "tidak dikenal" in text(response)


def test_the_export_carries_the_order_state_and_filters_by_it(client, team, states):
    client.force_login(team["district"])
    response = client.get(CSV, {"dari": "2026-11-01", "sampai": "2026-11-25"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header = rows[0]
    state_col, end_col = header.index("Status isolasi"), header.index("Isolasi sampai")
    assert len(rows) == 1 + 4  # the four bound for Alang Laweh; Sawahan is not the camat's
    states_seen = sorted(row[state_col] for row in rows[1:])
    assert states_seen == ["", "Aktif", "Ditutup lebih awal", "Selesai"]
    running = next(row for row in rows[1:] if row[state_col] == "Aktif")
    assert running[end_col] == "08-12-2026"
    response = client.get(CSV, {"dari": "2026-11-01", "sampai": "2026-11-25", "isolasi": "selesai"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[state_col] for row in rows[1:]] == ["Selesai"]
    assert "isolasi-selesai" in response["Content-Disposition"]


# ---------------------------------------------------------------------------------------------
# 3. A destination corrected at the post moves the follow-up with it
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def corrected(clock, client, team, register, make_user):
    """An arrival for Alang Laweh entered by the officer, its order reported; then corrected to Sawahan."""
    officer = team["officer"]
    arrival = register(officer=officer)
    order = IsolationOrder.objects.get(arrival=arrival)
    clock.move_to(NOW + dt.timedelta(hours=2))
    failed = isolation_check_record(order=order, user=team["village"], at_home=False)
    report = violation_report_raise(failed_check=failed, user=team["village"], description="Tidak di rumah")
    client.force_login(officer)
    url = reverse("travellers:arrival_update", args=[arrival.pk])
    response = client.post(url, correction_data(arrival, **{"orang-0-destination": SAWAHAN}), follow=True)
    assert "Perbaikan tersimpan: tujuan." in text(response)
    order.refresh_from_db()
    report.refresh_from_db()
    return {"arrival": arrival, "order": order, "report": report}


def test_the_order_and_report_move_to_the_corrected_destination(client, team, corrected):
    assert corrected["order"].destination_code == SAWAHAN
    assert corrected["report"].destination_code == SAWAHAN
    event = corrected["order"].events.get(kind=IsolationEvent.Kind.CORRECTED)
    assert event.get_note() == "Tujuan: Kelurahan Alang Laweh → Kelurahan Sawahan." and event.by == team["officer"]


def test_the_new_village_sees_it_in_its_inbox_due_list_and_reports(client, team, corrected):
    order = corrected["order"]
    client.force_login(team["other_village"])
    assert corrected["arrival"].person.name in text(client.get(reverse("followup:dispatch_inbox")))
    assert client.get(order.get_absolute_url()).status_code == 200
    client.force_login(team["other_police"])
    assert corrected["report"].number in text(client.get(reverse("followup:report_list")))
    assert ViolationReport.objects.handled_by(team["other_police"]).filter(pk=corrected["report"].pk).exists()


def test_the_old_village_no_longer_sees_it(client, team, corrected):
    order = corrected["order"]
    client.force_login(team["village"])
    assert corrected["arrival"].person.name not in text(client.get(reverse("followup:dispatch_inbox")))
    assert client.get(order.get_absolute_url()).status_code == 404
    client.force_login(team["police"])
    assert client.get(corrected["report"].get_absolute_url()).status_code == 404


def test_a_corrected_origin_inside_the_province_closes_an_unchecked_order(clock, client, team, register):
    officer = team["officer"]
    arrival = register(officer=officer)
    order = IsolationOrder.objects.get(arrival=arrival)
    client.force_login(officer)
    url = reverse("travellers:arrival_update", args=[arrival.pk])
    client.post(url, correction_data(arrival, origin=WITHIN_PROVINCE))
    order.refresh_from_db()
    arrival.refresh_from_db()
    assert order.status_on() == IsolationOrder.Status.CLOSED and not arrival.isolation_required
    assert order.events.filter(kind=IsolationEvent.Kind.CLOSED, note_code="rule_lifted").exists()


def test_a_corrected_origin_outside_the_province_opens_the_missing_order(clock, client, team, register, regions):
    officer = team["officer"]
    arrival = register(officer=officer, origin=regions.get(code=WITHIN_PROVINCE))
    assert not IsolationOrder.objects.filter(arrival=arrival).exists()
    client.force_login(officer)
    url = reverse("travellers:arrival_update", args=[arrival.pk])
    client.post(url, correction_data(arrival, origin="15.71"))
    order = IsolationOrder.objects.get(arrival=arrival)
    assert order.status_on() == IsolationOrder.Status.ACTIVE and order.destination_code == ALANG_LAWEH


def test_a_corrected_nik_takes_the_order_to_the_right_person(clock, client, team, register):
    from conftest import make_nik

    officer = team["officer"]
    arrival = register(officer=officer)
    wrong = arrival.person
    client.force_login(officer)
    url = reverse("travellers:arrival_update", args=[arrival.pk])
    right_nik = make_nik(serial=777)
    response = client.post(url, correction_data(arrival, **{"orang-0-id_number": right_nik}))
    assert response.status_code == 302
    order = IsolationOrder.objects.get(arrival=arrival)
    assert order.person.id_number == right_nik
    assert not Person.objects.filter(pk=wrong.pk).exists()
