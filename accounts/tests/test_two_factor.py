"""Two-factor: required for admins and task forces, optional for others, in Indonesian."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from conftest import totp_code

pytestmark = pytest.mark.django_db

OVERVIEW = "monitoring:overview"


@pytest.mark.parametrize(
    ("role", "codes", "staff"),
    [("province", ["13"], False), ("regency", ["13.71"], False), ("", [], True)],
    ids=["province", "regency", "admin"],
)
def test_privileged_accounts_without_a_device_are_sent_to_enrolment(client, make_user, role, codes, staff):
    user = make_user(role, *codes, is_staff=staff)
    client.force_login(user, otp=False)
    for url in [reverse("home"), reverse(OVERVIEW), reverse("admin:index"), reverse("regions:search") + "?q=pa"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:two_factor_setup") + "?next="), url


@pytest.mark.parametrize(
    ("role", "codes"),
    [("district", ["13.71.01"]), ("village", ["13.71.01.1002"]), ("babinsa", ["13.71.01.1002"]), ("officer", [])],
)
def test_other_roles_may_work_without_a_second_factor(client, make_user, role, codes):
    client.force_login(make_user(role, *codes), otp=False)
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert "dua-langkah" not in response.redirect_chain[-1][0]


def test_a_privileged_account_with_a_device_must_enter_its_code(client, task_force, totp_device):
    client.force_login(task_force, otp=False)
    response = client.get(reverse(OVERVIEW))
    assert response.url == reverse("accounts:two_factor_verify") + "?next=%2Fpantau%2F"
    page = client.get(response.url).content.decode()
    assert "Masukkan kode verifikasi" in page and 'autocomplete="one-time-code"' in page

    wrong = client.post(response.url, {"token": "000000", "next": "/pantau/"})
    assert wrong.status_code == 200
    assert "Kode salah atau sudah kedaluwarsa" in wrong.content.decode()
    TOTPDevice.objects.filter(pk=totp_device.pk).update(throttling_failure_count=0)  # skip the wait

    right = client.post(response.url, {"token": totp_code(totp_device), "next": "/pantau/"})
    assert right.status_code == 302 and right.url == "/pantau/"
    assert client.get(reverse(OVERVIEW)).status_code == 200
    assert AuditEvent.objects.filter(action="two_factor", detail__event="verified", user=task_force).exists()


def test_enrolment_shows_a_qr_code_and_issues_recovery_codes(client, task_force):
    client.force_login(task_force, otp=False)
    page = client.get(reverse("accounts:two_factor_setup") + "?next=/pantau/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<img" not in html  # inline SVG, no image service
    assert "Pindai kode QR" in html or "pindai kode QR" in html
    device = TOTPDevice.objects.get(user=task_force, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/SIPANTAU%3Aprovinsi?")

    response = client.post(reverse("accounts:two_factor_setup"), {"token": totp_code(device), "next": "/pantau/"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Simpan kode cadangan Anda" in html
    tokens = list(StaticToken.objects.filter(device__user=task_force).values_list("token", flat=True))
    assert len(tokens) == 10
    assert all(f"{t[:4]}-{t[4:]}" in html for t in tokens)
    device.refresh_from_db()
    assert device.confirmed
    assert response["Cache-Control"].count("no-store") == 1  # recovery codes never cached
    assert client.get(reverse(OVERVIEW)).status_code == 200  # verified in this session


def test_a_recovery_code_works_once(client, task_force, totp_device):
    from accounts.twofactor import recovery_codes_reset

    code = recovery_codes_reset(user=task_force)[0]
    client.force_login(task_force, otp=False)
    url = reverse("accounts:two_factor_verify")
    response = client.post(url, {"token": code.upper(), "next": "/pantau/"})
    assert response.status_code == 302 and response.url == "/pantau/"
    client.post(reverse("accounts:logout"))
    client.force_login(task_force, otp=False)
    TOTPDevice.objects.filter(pk=totp_device.pk).update(throttling_failure_count=0)
    again = client.post(url, {"token": code, "next": "/pantau/"})
    assert again.status_code == 200  # used up


def test_a_password_alone_cannot_enrol_a_new_device(client, task_force, totp_device):
    client.force_login(task_force, otp=False)
    response = client.get(reverse("accounts:two_factor_setup"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_verify"))
    assert not TOTPDevice.objects.filter(user=task_force, confirmed=False).exists()


def test_an_optional_user_can_enrol_from_the_security_page(client, village_head):
    client.force_login(village_head)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "Belum aktif" in page and "Aktifkan verifikasi dua langkah" in page
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=village_head)
    client.post(reverse("accounts:two_factor_setup"), {"token": totp_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    # From now on the code is asked at each login, like for task forces.
    client.post(reverse("accounts:logout"))
    client.force_login(village_head, otp=False)
    response = client.get(reverse(OVERVIEW))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:two_factor_verify"))


def test_new_recovery_codes_replace_the_old_ones(client, task_force, totp_device):
    from accounts.twofactor import recovery_codes_reset

    old = recovery_codes_reset(user=task_force)
    client.force_login(task_force)
    response = client.post(reverse("accounts:recovery_codes_reset"))
    assert response.status_code == 200
    new = list(StaticToken.objects.filter(device__user=task_force).values_list("token", flat=True))
    assert len(new) == 10 and not {c.replace("-", "") for c in old} & set(new)


def test_the_next_parameter_cannot_send_the_user_elsewhere(client, task_force, totp_device):
    client.force_login(task_force, otp=False)
    response = client.post(
        reverse("accounts:two_factor_verify"), {"token": totp_code(totp_device), "next": "https://evil.example/"}
    )
    assert response.url == reverse("home")
