import pytest
from django.contrib.auth.models import Group

from accounts.forms import UserAdminChangeForm
from accounts.roles import ROLE_GROUP, ROLE_PERMISSIONS, Role
from regions.models import Region

pytestmark = pytest.mark.django_db


def form_for(user, role, codes=(), checkpoint=None):
    data = {
        "username": user.username,
        "role": role,
        "jurisdictions": list(Region.objects.filter(code__in=codes).values_list("pk", flat=True)),
        "checkpoint": checkpoint.pk if checkpoint else "",
        "is_active": "on",
        "date_joined": "2026-01-01 08:00:00",
    }
    return UserAdminChangeForm(data=data, instance=user)


def test_every_role_is_a_group_with_its_permissions():
    for role, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=ROLE_GROUP[role])
        assert sorted(group.permissions.values_list("codename", flat=True)) == sorted(codenames)


def test_a_user_is_in_exactly_the_group_of_their_role(make_user):
    user = make_user("district", "13.71.01")
    assert list(user.groups.values_list("name", flat=True)) == ["Camat"]
    assert user.has_perm("accounts.export_arrivals")
    user.role = Role.VILLAGE
    user.save()
    assert list(user.groups.values_list("name", flat=True)) == [ROLE_GROUP[Role.VILLAGE]]


@pytest.mark.parametrize(
    ("role", "codes", "valid"),
    [
        (Role.PROVINCE, ["13"], True),
        (Role.PROVINCE, ["12"], False),  # another province
        (Role.REGENCY, ["13.71"], True),
        (Role.REGENCY, ["13.71.01"], False),
        (Role.DISTRICT, ["13.71.01"], True),
        (Role.DISTRICT, ["13.71"], False),
        (Role.VILLAGE, ["13.71.01.1002"], True),
        (Role.VILLAGE, ["13.71.01"], False),
        (Role.VILLAGE, [], False),
        (Role.HAMLET, ["13.71.01.1002.01"], True),
        (Role.HAMLET, ["13.71.01.1002"], False),
        (Role.BABINSA, ["13.71.01.1001", "13.71.01.1002"], True),  # several villages
        (Role.BABINSA, ["13.71.01"], False),
        (Role.POLICE, ["13.71.01.1002"], True),
        (Role.POLICE, ["13.71.01.1002", "13.71"], False),
        (Role.OFFICER, ["13.71.01.1002"], False),  # officers reach a post, not regions
    ],
)
def test_jurisdictions_must_match_the_role_level(make_user, hamlet, checkpoint, role, codes, valid):
    user = make_user()
    form = form_for(user, role, codes, checkpoint=checkpoint if role == Role.OFFICER else None)
    assert form.is_valid() is valid, form.errors


def test_officer_needs_a_checkpoint_and_others_none(make_user, checkpoint):
    user = make_user()
    form = form_for(user, Role.OFFICER)
    assert not form.is_valid()
    assert "posko" in str(form.errors["checkpoint"])
    form = form_for(user, Role.DISTRICT, ["13.71.01"], checkpoint=checkpoint)
    assert not form.is_valid()
    assert "Hanya petugas posko" in str(form.errors["checkpoint"])


def test_retired_region_cannot_be_assigned(make_user):
    Region.objects.filter(code="13.71.01.1002").update(retired=True)
    form = form_for(make_user(), Role.VILLAGE, ["13.71.01.1002"])
    assert not form.is_valid()
    assert "tidak berlaku" in str(form.errors["jurisdictions"])


def test_reach_in_words(make_user, officer, hamlet):
    babinsa = make_user("babinsa", "13.71.01.1001", "13.71.01.1002")
    assert babinsa.reach_display() == (
        "Kelurahan Belakang Pondok, Kecamatan Padang Selatan, Kota Padang; "
        "Kelurahan Alang Laweh, Kecamatan Padang Selatan, Kota Padang"
    )
    assert officer.reach_display() == "Posko Dharmasraya – Jambi, entri hari ini"
    assert make_user("province", "13").reach_display() == "Provinsi Sumatera Barat"
    assert "Tidak ada wilayah" in make_user("district").reach_display()


@pytest.mark.django_db
def test_the_migrated_groups_say_who_manages_isolation_and_handles_reports():
    from django.contrib.auth.models import Group

    def holders(codename):
        groups = Group.objects.filter(permissions__codename=codename, permissions__content_type__app_label="accounts")
        return set(groups.values_list("name", flat=True))

    assert holders("manage_isolation") == {
        ROLE_GROUP[Role.VILLAGE],
        ROLE_GROUP[Role.DISTRICT],
        ROLE_GROUP[Role.REGENCY],
        ROLE_GROUP[Role.PROVINCE],
    }
    assert holders("handle_reports") == {ROLE_GROUP[Role.POLICE], ROLE_GROUP[Role.REGENCY]}
    visitors = {ROLE_GROUP[r] for r in (Role.VILLAGE, Role.HAMLET, Role.BABINSA, Role.POLICE)}
    assert holders("record_checks") == visitors
    assert holders("raise_reports") == visitors
    assert holders("manage_hamlets") == {ROLE_GROUP[Role.VILLAGE], ROLE_GROUP[Role.REGENCY]}
