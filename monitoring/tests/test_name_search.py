"""The fuzzy name search looks among the travellers within the user's reach, before it ranks names."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import ALANG_LAWEH, SAWAHAN
from monitoring import filters

pytestmark = pytest.mark.django_db
LIST = reverse("monitoring:arrival_list")


def shown(response):
    return [a["person__id_number"] for a in response.context["arrivals"]]


def test_closer_names_out_of_reach_do_not_crowd_out_the_one_in_reach(
    client, village_head, make_arrival, make_person, monkeypatch
):
    monkeypatch.setattr(filters, "NAME_MATCHES", 2)  # the search keeps the two most similar people
    for _ in range(3):  # the very name, bound for another kelurahan
        make_arrival(destination=SAWAHAN, person=make_person(name="Budi Santoso"))
    own = make_arrival(destination=ALANG_LAWEH, person=make_person(name="Budi Santosa"))
    client.force_login(village_head)
    response = client.get(LIST, {"q": "Budi Santoso"})
    assert response.status_code == 200
    assert shown(response) == [own.person.id_number]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm's similarity is worked out by PostgreSQL")
def test_the_similarity_is_worked_out_over_the_people_in_reach_only(client, village_head, make_arrival, make_person):
    make_arrival(destination=ALANG_LAWEH, person=make_person(name="Budi Santosa"))
    client.force_login(village_head)
    with CaptureQueriesContext(connection) as captured:
        client.get(LIST, {"q": "Budi Santoso"})
    ranked = [q["sql"] for q in captured if "WORD_SIMILARITY" in q["sql"].upper() and "ORDER BY" in q["sql"]]
    assert len(ranked) == 1
    assert f"\"village_code\" = '{ALANG_LAWEH}'" in ranked[0]  # the reach is inside the ranking query
