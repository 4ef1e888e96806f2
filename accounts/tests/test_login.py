import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-uji-123"


def test_login_page_is_in_indonesian(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Masuk ke SIPANTAU" in html
    assert "Nama pengguna" in html and "Kata sandi" in html


def test_wrong_password_is_refused_with_a_clear_message(client, officer):
    response = client.post(reverse("accounts:login"), {"username": "petugas", "password": "salah"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_login_then_logout(client, officer):
    response = client.post(reverse("accounts:login"), {"username": "petugas", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302  # back to the login page


def test_logout_by_get_is_refused(client, officer):
    client.force_login(officer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_login_rotates_the_session_key(client, officer):
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("accounts:login"), {"username": "petugas", "password": PASSWORD})
    assert client.session.session_key != before


@pytest.mark.parametrize(
    ("role", "codes", "lands_on"),
    [
        ("officer", [], "travellers:arrival_create"),
        ("province", ["13"], "monitoring:overview"),
        ("regency", ["13.71"], "monitoring:overview"),
        ("district", ["13.71.01"], "monitoring:overview"),
        ("village", ["13.71.01.1002"], "monitoring:overview"),
        ("hamlet", ["13.71.01.1002.01"], "monitoring:overview"),
        ("babinsa", ["13.71.01.1002"], "monitoring:overview"),
        ("police", ["13.71.01.1002"], "monitoring:overview"),
    ],
)
def test_home_sends_each_role_to_its_work(client, make_user, hamlet, role, codes, lands_on):
    client.force_login(make_user(role, *codes))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse(lands_on)
    assert response.status_code == 200


def test_admin_lands_on_the_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("home"))
    assert response.url == reverse("admin:index")


def test_account_without_role_is_told_what_to_do(client, make_user):
    client.force_login(make_user(""))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "belum diberi peran" in response.content.decode()


def test_header_shows_who_with_which_role_and_reach(client, village_head):
    client.force_login(village_head)
    html = client.get(reverse("monitoring:overview")).content.decode()
    assert "Wali nagari / kepala desa / lurah" in html
    assert "Kelurahan Alang Laweh, Kecamatan Padang Selatan, Kota Padang" in html


def test_roles_cannot_open_each_others_work(client, officer, village_head):
    client.force_login(officer)
    assert client.get(reverse("monitoring:overview")).status_code == 403
    client.force_login(village_head)
    assert client.get(reverse("travellers:arrival_create")).status_code == 403
