"""Every page that shows a traveller's identity or contact data is audited and on their "who viewed"
panel, and so is every export that included them."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, AuditEventPerson
from followup.models import ArrivalConfirmation
from followup.services import isolation_check_record, violation_report_raise

pytestmark = pytest.mark.django_db


def panel(client, viewer, arrival):
    client.force_login(viewer)
    return client.get(reverse("monitoring:arrival_detail", args=[arrival.pk])).context["viewers"]


@pytest.fixture
def reported(clock, order, team):
    check = isolation_check_record(order=order, user=team["village"], at_home=False, note="Ke pasar")
    return violation_report_raise(failed_check=check, user=team["village"], description="Tidak di rumah")


@pytest.mark.parametrize(
    ("who", "page", "what"),
    [
        ("village", "followup:isolation_detail", "Halaman perintah isolasi"),
        ("police", "followup:report_detail", "Halaman laporan pelanggaran"),
        ("police", "followup:report_letter", "Surat laporan ke Polsek"),
    ],
)
def test_order_and_report_pages_are_audited_and_on_the_panel(client, team, order, reported, who, page, what):
    client.force_login(team[who])
    pk = order.pk if page == "followup:isolation_detail" else reported.pk
    assert client.get(reverse(page, args=[pk])).status_code == 200
    event = AuditEvent.objects.get(action="view", user=team[who])
    assert list(event.people.values_list("person_id", flat=True)) == [order.person_id]
    viewers = panel(client, team["regency"], order.arrival)
    shown = [(e.username, e.what) for e in viewers]
    assert (team[who].username, what) in shown


def test_the_confirmation_page_shows_a_phone_so_it_is_audited(client, team, order):
    client.force_login(team["village"])
    assert client.get(reverse("followup:arrival_confirm", args=[order.arrival_id])).status_code == 200
    assert AuditEvent.objects.about_person(order.person_id).filter(detail__page="arrival_confirm").count() == 1
    assert not ArrivalConfirmation.objects.exists()


def test_an_export_lists_on_the_panel_of_each_person_it_included(client, team, register, make_person, clock):
    included = [register(person=make_person(name=f"Orang {i}")) for i in range(3)]
    outside = register(destination="13.71.02.1001", person=make_person(name="Di Luar"))
    client.force_login(team["district"])
    response = client.get(reverse("monitoring:arrival_export_csv"), {"q": "Orang"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    export = AuditEvent.objects.get(action="export")
    assert sorted(export.people.values_list("person_id", flat=True)) == sorted(a.person_id for a in included)
    for arrival in included:
        viewers = panel(client, team["regency"], arrival)
        row = next(e for e in viewers if e.action == "export")
        assert row.username == "camat" and "Ekspor CSV, 3 baris" in row.what and "Cari NIK atau nama: Orang" in row.what
    assert all(e.action != "export" for e in panel(client, team["regency"], outside))


def test_an_export_whose_search_matches_nobody_is_an_empty_file_not_an_error(client, team, register, make_person):
    """Found by the fuzzer on PostgreSQL: a name nobody has left an empty id list, which Django
    cannot write as SQL; the export's audit then failed with a 500."""
    register(person=make_person(name="Orang Ada"))
    client.force_login(team["district"])
    response = client.get(reverse("monitoring:arrival_export_csv"), {"q": "\ufffd\ufffd\ufffd"})
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()) == 1  # the header
    assert not AuditEvent.objects.get(action="export").people.exists()


def test_a_large_export_indexes_its_people_in_one_statement(
    client, team, register, make_person, clock, django_assert_max_num_queries
):
    for i in range(40):
        register(person=make_person(name=f"Banyak {i}"))
    client.force_login(team["regency"])
    url = reverse("monitoring:arrival_export_csv")
    client.get(url)  # the session's first request
    AuditEventPerson.objects.all().delete()
    with django_assert_max_num_queries(40) as counted:
        b"".join(client.get(url).streaming_content)
    inserts = [q["sql"] for q in counted.captured_queries if "accounts_auditeventperson" in q["sql"]]
    assert len(inserts) == 1 and inserts[0].startswith("INSERT INTO")
    assert AuditEventPerson.objects.count() == 40


def test_the_camat_sees_the_panel_of_records_in_their_kecamatan(client, team, order):
    viewers = panel(client, team["district"], order.arrival)
    assert viewers is not None and [e.username for e in viewers] == ["camat"]
    client.force_login(team["other_district"])
    assert client.get(reverse("monitoring:arrival_detail", args=[order.arrival_id])).status_code == 404


def test_the_nik_lookup_at_a_post_is_on_the_panel(client, team, order):
    client.force_login(team["officer"])
    client.get(reverse("travellers:api_person_lookup"), {"nik": order.person.id_number})
    rows = [(e.username, e.what) for e in panel(client, team["regency"], order.arrival)]
    assert ("petugas", "Pencarian NIK di posko") in rows


def test_views_made_before_the_index_are_still_listed(client, team, order):
    AuditEvent.objects.create(
        username="lama", action="view", object_type="travellers.arrival", object_id=str(order.arrival_id)
    )
    assert "lama" in [e.username for e in panel(client, team["regency"], order.arrival)]


@pytest.mark.parametrize(
    ("page", "what"),
    [
        ("followup:checks_due", "Daftar pemantauan hari ini (alamat)"),
        ("followup:dispatch_inbox", "Daftar kotak masuk (alamat)"),
    ],
)
def test_work_lists_with_addresses_are_audited_for_each_person_on_them(client, team, order, page, what):
    client.force_login(team["village"])
    assert client.get(reverse(page)).status_code == 200
    rows = [(e.username, e.what) for e in panel(client, team["regency"], order.arrival)]
    assert ("lurah", what) in rows
