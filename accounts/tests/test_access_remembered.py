"""Permissions and jurisdictions are worked out once per login and reused; an admin's change to an
account's jurisdiction, role or a role's permissions takes effect on that account's next request."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import ROLE_GROUP, Role
from conftest import ALANG_LAWEH, SAWAHAN

LIST = reverse("monitoring:arrival_list")
pytestmark = pytest.mark.django_db


@pytest.fixture
def camat(make_user, client):
    user = make_user(Role.DISTRICT, "13.71.01")
    client.force_login(user)
    return user


def shown(client):
    """The travellers' names the arrival list shows, and the queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    return page, [q["sql"] for q in queries.captured_queries]


def test_a_signed_in_page_does_not_look_up_permissions_or_jurisdictions_again(camat, client, make_arrival):
    make_arrival(destination=ALANG_LAWEH)
    _page, queries = shown(client)
    assert not [q for q in queries if "auth_permission" in q]
    assert not [q for q in queries if q.startswith('SELECT "regions_region"."code" AS "code"')]


def test_a_changed_jurisdiction_takes_effect_on_the_next_request(camat, client, make_arrival, make_person, regions):
    here = make_arrival(destination=ALANG_LAWEH, person=make_person(name="Warga Padang Selatan"))
    there = make_arrival(destination=SAWAHAN, person=make_person(name="Warga Padang Timur"))
    page, _ = shown(client)
    assert here.person.name in page and there.person.name not in page
    assert header_reach(page) == "Kecamatan Padang Selatan, Kota Padang"
    camat.jurisdictions.set(regions.filter(code="13.71.02"))  # as the admin's form saves it
    page, _ = shown(client)
    assert there.person.name in page and here.person.name not in page
    assert header_reach(page) == "Kecamatan Padang Timur, Kota Padang"


def header_reach(page):
    return re.search(r'<span class="who-reach">([^<]*)</span>', page).group(1)


def test_the_header_says_where_the_account_reaches_without_asking_the_database_again(camat, client):
    first, _ = shown(client)
    again, queries = shown(client)
    assert header_reach(again) == header_reach(first) == "Kecamatan Padang Selatan, Kota Padang"
    assert not [q for q in queries if "accounts_user_jurisdictions" in q]


def test_a_role_losing_a_permission_loses_the_page_on_the_next_request(camat, client):
    assert client.get(LIST).status_code == 200
    group = Group.objects.get(name=ROLE_GROUP[Role.DISTRICT])
    view = Permission.objects.get(content_type__app_label="accounts", codename="view_arrivals")
    group.permissions.remove(view)
    assert client.get(LIST).status_code == 403
    group.permissions.add(view)
    assert client.get(LIST).status_code == 200


def test_a_changed_role_takes_effect_on_the_next_request(camat, client):
    assert client.get(LIST).status_code == 200
    camat.role = Role.OFFICER  # the admin's form: the role's group follows the role (User.save)
    camat.save()
    assert client.get(LIST).status_code == 403


def test_a_permission_taken_from_the_role_on_the_permission_side_takes_effect_too(camat, client):
    assert client.get(LIST).status_code == 200
    group = Group.objects.get(name=ROLE_GROUP[Role.DISTRICT])
    view = Permission.objects.get(content_type__app_label="accounts", codename="view_arrivals")
    view.group_set.remove(group)
    assert client.get(LIST).status_code == 403
    view.group_set.add(group)
    assert client.get(LIST).status_code == 200
    view.group_set.clear()  # from every role at once
    assert client.get(LIST).status_code == 403
