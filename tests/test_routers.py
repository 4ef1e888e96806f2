"""Reads a view opts into go to the read replica; writes always go to the primary."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.replica import use_replica
from travellers.models import Arrival, Person

# Both aliases, committed data: the replica alias is a test mirror of default (a second connection).
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def province(make_user):
    user = make_user("province", "13")
    user.has_perm("accounts.view_arrivals")  # load (and cache) the permissions: only arrival queries follow
    return user


@pytest.fixture
def replica_on(settings):
    settings.SIPANTAU_READ_REPLICA = "replica"


@pytest.fixture
def queries():
    """queries() -> (default capture, replica capture) for a with-block."""
    return lambda: (CaptureQueriesContext(connections["default"]), CaptureQueriesContext(connections["replica"]))


def sql_of(capture):
    return [q["sql"] for q in capture.captured_queries]


def arrival_reads(capture):
    return [sql for sql in sql_of(capture) if sql.startswith("SELECT") and "travellers_arrival" in sql]


def overview_counts(user):
    """What an overview or export does: counts and rows of the user's area."""
    arrivals = Arrival.objects.visible_to(user)
    return arrivals.count(), list(arrivals.values_list("destination_code", flat=True))


def test_reads_inside_use_replica_go_to_the_replica(replica_on, queries, make_arrival, province):
    make_arrival()
    on_default, on_replica = queries()
    with on_default, on_replica, use_replica():
        count, codes = overview_counts(province)
    assert (count, codes) == (1, ["13.71.01.1002"])
    assert len(arrival_reads(on_replica)) == 2  # the count and the rows
    assert sql_of(on_default) == []  # the user's jurisdiction was read from the replica too


def test_use_replica_works_as_a_decorator_and_ends_with_its_block(replica_on, queries, make_arrival, province):
    make_arrival()

    @use_replica()
    def export_rows():
        return list(Arrival.objects.visible_to(province).values_list("id", flat=True))

    on_default, on_replica = queries()
    with on_default, on_replica:
        assert len(export_rows()) == 1
        Arrival.objects.count()  # outside the decorated function: the primary again
    assert len(arrival_reads(on_replica)) == 1
    assert len(arrival_reads(on_default)) == 1


def test_writes_inside_use_replica_still_go_to_the_primary(replica_on, queries, make_person):
    person = make_person()
    on_default, on_replica = queries()
    with on_default, on_replica, use_replica():
        read = Person.objects.get(pk=person.pk)  # replica
        read.name = "Budi Santoso Putra"
        read.save()  # primary
        Person.objects.filter(pk=person.pk).update(phone="+6281234567890")  # primary
    assert [sql.split()[0] for sql in sql_of(on_replica)] == ["SELECT"]
    assert [sql.split()[0] for sql in sql_of(on_default) if not sql.startswith(("SAVEPOINT", "RELEASE"))] == [
        "UPDATE",
        "UPDATE",
    ]
    assert Person.objects.get(pk=person.pk).name == "Budi Santoso Putra"


def test_without_a_configured_replica_everything_reads_from_the_primary(queries, make_arrival, province):
    """SIPANTAU_READ_REPLICA unset (no DATABASE_REPLICA_URL): use_replica() changes nothing."""
    make_arrival()
    on_default, on_replica = queries()
    with on_default, on_replica, use_replica():
        assert overview_counts(province)[0] == 1
    assert sql_of(on_replica) == []
    assert len(arrival_reads(on_default)) == 2


def test_migrations_run_only_on_the_primary():
    from django.db import router

    assert router.allow_migrate("default", "travellers")
    assert not router.allow_migrate("replica", "travellers")


# ---------------------------------------------------------------------------------------------
# The pages that opt in: the overview (with its follow-up panel) and the exports
# ---------------------------------------------------------------------------------------------
def reads_of(capture, table):
    """SELECTs naming `table` (a streamed export reads through a server-side cursor, DECLARE … FOR
    SELECT; the CSV on PostgreSQL through COPY (SELECT …) TO STDOUT)."""
    reads = ("SELECT", "DECLARE", "COPY (SELECT")
    return [sql for sql in sql_of(capture) if sql.startswith(reads) and f'"{table}"' in sql]


@pytest.fixture
def province_client(client, province):
    client.force_login(province)
    return client


def test_the_overview_reads_its_numbers_and_follow_up_figures_from_the_replica(
    replica_on, queries, make_arrival, province_client
):
    from followup.services import arrival_follow_up_open

    arrival_follow_up_open(arrival=make_arrival())  # from Jambi: an isolation order too
    on_default, on_replica = queries()
    with on_default, on_replica:
        response = province_client.get(reverse("monitoring:overview"))
    assert response.status_code == 200 and response.context["count_today"] == 1
    assert reads_of(on_replica, "travellers_arrival") and reads_of(on_replica, "followup_isolationorder")
    assert reads_of(on_default, "travellers_arrival") == []
    assert reads_of(on_default, "followup_isolationorder") == []


@pytest.mark.parametrize("name", ["monitoring:arrival_export_csv", "monitoring:arrival_export_xlsx"])
def test_exports_count_and_stream_their_rows_from_the_replica(replica_on, queries, make_arrival, province_client, name):
    make_arrival()
    make_arrival()
    on_default, on_replica = queries()
    with on_default, on_replica:
        response = province_client.get(reverse(name))
        content = b"".join(response.streaming_content)  # the rows are read while streaming
    assert response.status_code == 200 and content
    assert len(reads_of(on_replica, "travellers_arrival")) == 2  # the count, then the rows (COPY on PostgreSQL)
    assert reads_of(on_default, "travellers_arrival") == []
    # The audit record of the export is a write: the primary.
    assert any(sql.startswith("INSERT") and "accounts_auditevent" in sql for sql in sql_of(on_default))


def test_the_arrival_list_stays_on_the_primary(replica_on, queries, make_arrival, province_client):
    """Lists are read right after entries and corrections: they never opt in."""
    make_arrival()
    on_default, on_replica = queries()
    with on_default, on_replica:
        assert province_client.get(reverse("monitoring:arrival_list")).status_code == 200
    assert sql_of(on_replica) == []
    assert reads_of(on_default, "travellers_arrival")
