"""What a page of the arrival list costs the database, and that its drop-downs, read once per
process (regions.catalogue, checkpoints.catalogue), still follow every change an admin makes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checkpoints.models import Checkpoint
from monitoring.tests import fixtures
from regions import catalogue
from regions.models import Region

pytestmark = pytest.mark.django_db
camat, province_user = fixtures.camat, fixtures.province_user
LIST = reverse("monitoring:arrival_list")
# Transaction control is not a read: ATOMIC_REQUESTS wraps every request in one.
CONTROL = re.compile(r"^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I)


def reads(captured):
    return [q["sql"] for q in captured.captured_queries if not CONTROL.match(q["sql"].strip())]


def options(body, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


@pytest.mark.parametrize("rows", [3, 60])
def test_a_page_reads_the_session_the_user_its_rows_and_their_orders(client, camat, make_arrival, rows):
    """Four reads whatever the rows (a task force adds its second factor's device: five); none
    while the page is drawn, so none for the drop-downs, the labels or the isolation states."""
    for _ in range(rows):
        make_arrival()
    client.force_login(camat)
    client.get(LIST)  # the process's catalogues are read by the first page
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST)
    assert response.status_code == 200 and len(response.context["arrivals"]) == min(rows, 50)
    statements = reads(captured)
    assert len(statements) <= 4, statements
    assert not any("checkpoints_checkpoint" in sql or "regions_region" in sql for sql in statements)


def test_the_rows_show_labels_states_and_masked_documents(client, camat, make_arrival, make_person):
    person = make_person(name="Rahmat Hidayat")
    arrival = make_arrival(person=person)
    client.force_login(camat)
    body = client.get(LIST).content.decode()
    row = re.search(rf'<tr>\s*<td data-label="Waktu tiba">.*?{arrival.pk}/.*?</tr>', body, re.S).group(0)
    assert "Rahmat Hidayat" in row and person.masked_id in row and person.id_number not in row
    assert str(arrival.origin) in row and str(arrival.destination) in row and arrival.checkpoint.name in row


def test_a_post_added_in_the_admin_is_in_the_next_pages_drop_down(client, admin_user, camat, regions):
    client.force_login(camat)
    before = options(client.get(LIST).content.decode(), "posko")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:checkpoints_checkpoint_add"),
        {
            "name": "Posko Lubuk Sikaping",
            "code": "lubuk-sikaping",
            "kind": Checkpoint.Kind.LAND,
            "regency": regions.get(code="13.08").pk,
            "borders": regions.get(code="12").pk,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.force_login(camat)
    after = options(client.get(LIST).content.decode(), "posko")
    assert ("lubuk-sikaping", "Posko Lubuk Sikaping") in after and len(after) == len(before) + 1


def test_a_renamed_region_is_renamed_on_the_next_page(client, camat, make_arrival):
    arrival = make_arrival()
    client.force_login(camat)
    assert "Rimbo Tarok" not in client.get(LIST).content.decode()
    village = Region.objects.get(pk=arrival.destination_id)
    village.name = "Rimbo Tarok"
    village.save()
    assert "Rimbo Tarok" in client.get(LIST).content.decode()


def test_another_processs_change_is_read_within_seconds(client, camat, regions, monkeypatch):
    """A change made in another process only raises the shared version: this process reads again
    once RECHECK_SECONDS have passed (here: made to pass)."""
    client.force_login(camat)
    client.get(LIST)
    Checkpoint.objects.filter(pk__in=Checkpoint.objects.values("pk")[:1]).update(name="Posko Baru Berganti")
    assert "Posko Baru Berganti" not in client.get(LIST).content.decode()  # update() sends no signal
    from checkpoints.catalogue import checkpoints

    checkpoints._shared().set(checkpoints.key, -1, None)  # as another process's changed() leaves it
    clock = catalogue.time.monotonic() + catalogue.RECHECK_SECONDS + 1
    monkeypatch.setattr(catalogue.time, "monotonic", lambda: clock)
    assert "Posko Baru Berganti" in client.get(LIST).content.decode()
