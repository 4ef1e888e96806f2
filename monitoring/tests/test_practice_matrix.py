"""The access matrix's practice dimension: role × own / other area × real / practice mode.

Practice records of one area are as invisible to other areas as real ones, and from practice mode
no real record is reachable at all (the user's own real records included): lists, detail pages
and the export show exactly the travellers of the account's reach in the mode it is in.
Expectations are written out by hand; the data is built once for the module and rolled back.
"""

import uuid

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import practice
from accounts.roles import is_privileged
from conftest import make_nik, otp_verify_session

ALANG_LAWEH = "13.71.01.1002"
BELAKANG_PONDOK = "13.71.01.1001"
AGAM = "13.06.01.2001"

# key: (destination, post, practice, name)
TRAVELLERS = {
    "own": (ALANG_LAWEH, "home", False, "Zulhendri Nyata"),
    "own_practice": (ALANG_LAWEH, "home", True, "Zulhendri Latihan"),
    "neighbour": (BELAKANG_PONDOK, "other", False, "Yulinar Nyata"),
    "neighbour_practice": (BELAKANG_PONDOK, "other", True, "Yulinar Latihan"),
    "agam": (AGAM, "other", False, "Syahrial Nyata"),
    "agam_practice": (AGAM, "other", True, "Syahrial Latihan"),
}
ALL = set(TRAVELLERS)

# key: (role, jurisdiction codes, which travellers it reaches in either mode)
ACCOUNTS = {
    "province": ("province", ["13"], ALL),
    "regency_other": ("regency", ["13.06"], {"agam", "agam_practice"}),
    "village": ("village", [ALANG_LAWEH], {"own", "own_practice"}),
    "village_neighbour": ("village", [BELAKANG_PONDOK], {"neighbour", "neighbour_practice"}),
    "police": ("police", [ALANG_LAWEH], {"own", "own_practice"}),
    "officer": ("officer", [], {"own", "own_practice"}),  # their post's entries of today
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.apps import apps
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import ROLE_GROUP, sync_role_groups
    from checkpoints.models import Checkpoint
    from regions.loading import load_regions
    from regions.models import Region
    from travellers.models import Arrival, Person

    with django_db_blocker.unblock(), transaction.atomic():
        if not Region.objects.filter(code="13").exists():
            load_regions(province="13")
        if Group.objects.filter(name__in=ROLE_GROUP.values()).count() != len(ROLE_GROUP):
            sync_role_groups(apps)
        posts = {
            "home": Checkpoint.objects.get_or_create(
                code="dharmasraya-jambi",
                defaults={"name": "Posko Dharmasraya – Jambi", "regency": Region.objects.get(code="13.10")},
            )[0],
            "other": Checkpoint.objects.get_or_create(
                code="pasaman-sumut",
                defaults={"name": "Posko Pasaman – Sumatera Utara", "regency": Region.objects.get(code="13.08")},
            )[0],
        }
        users = {}
        for key, (role, codes, _reach) in ACCOUNTS.items():
            user = User.objects.create_user(
                username=f"p_{key}",
                password="kata-sandi-uji-123",
                role=role,
                checkpoint=posts["home"] if role == "officer" else None,
            )
            user.jurisdictions.set(Region.objects.filter(code__in=codes))
            users[key] = user
        origin = Region.objects.get(code="15.71")
        arrivals = {}
        for serial, (key, (dest, post, in_practice, name)) in enumerate(TRAVELLERS.items(), start=8101):
            with practice.mode(in_practice):
                person = Person.objects.create(id_number=make_nik(serial=serial), name=name, sex="L")
                arrivals[key] = Arrival.objects.create(
                    person=person,
                    checkpoint=posts[post],
                    officer=users["officer"] if post == "home" else None,
                    arrived_at=timezone.now(),
                    origin=origin,
                    destination=Region.objects.get(code=dest),
                    destination_address="Jl. Uji Latihan",
                    purpose=Arrival.Purpose.HOMECOMING,
                    transport=Arrival.Transport.CAR,
                    entry_key=uuid.uuid4(),
                )
        yield {"users": users, "arrivals": arrivals}
        transaction.set_rollback(True)


def client_in(world, account, in_practice):
    user = world["users"][account]
    client = Client()
    client.force_login(user)
    if is_privileged(user):
        otp_verify_session(client, user)
    if in_practice:
        assert client.post(reverse("accounts:practice_switch"), {"practice": "1"}).status_code == 302
    return client


def revealed(world, body):
    return {key for key, a in world["arrivals"].items() if a.person.name in body or a.person.id_number in body}


@pytest.mark.django_db
@pytest.mark.parametrize("in_practice", [False, True], ids=["real", "practice"])
@pytest.mark.parametrize("account", list(ACCOUNTS))
def test_each_mode_reaches_its_own_records_within_the_accounts_reach(world, account, in_practice):
    expected = {key for key in ACCOUNTS[account][2] if TRAVELLERS[key][2] is in_practice}
    client = client_in(world, account, in_practice)
    if account == "officer":
        pages = [reverse("travellers:arrival_today")]
        detail = "travellers:arrival_update"
    else:
        pages = [reverse("monitoring:arrival_list")]
        detail = "monitoring:arrival_detail"
        if account == "province":
            pages.append(reverse("monitoring:arrival_export_csv"))
        if account.startswith(("village", "police")):  # above the village, only what waited too long
            pages.append(reverse("followup:dispatch_inbox"))
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = (
            b"".join(response.streaming_content).decode("utf-8-sig")
            if response.streaming
            else response.content.decode()
        )
        assert revealed(world, body) == expected, url
    for key, arrival in world["arrivals"].items():
        status = client.get(reverse(detail, args=[arrival.pk])).status_code
        assert status == (200 if key in expected else 404), (key, status)
