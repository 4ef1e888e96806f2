"""Input no view should ever see: a clear 400 in Indonesian, before any query runs."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", [{"q": "pa\x00dang"}, {"induk": "13\x00"}, {"q\x00": "padang"}])
def test_a_nul_byte_in_a_query_is_a_400(client, village_head, query):
    client.force_login(village_head)
    for name in ["regions:search", "regions:children"]:
        response = client.get(reverse(name), query)
        assert response.status_code == 400
        assert "Permintaan tidak valid" in response.content.decode()


def test_a_nul_byte_in_a_form_is_a_400_and_nothing_happens(client, officer):
    response = client.post(reverse("accounts:login"), {"username": "petugas\x00", "password": "kata-sandi-uji-123"})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_the_admin_shows_devices_but_never_their_secrets(client, admin_user, totp_device):
    client.force_login(admin_user)
    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert listing.status_code == 200 and "provinsi" in listing.content.decode()
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[totp_device.pk])).content.decode()
    assert totp_device.key not in page
    assert client.get(f"/admin/otp_totp/totpdevice/{totp_device.pk}/config/").status_code in (302, 404)
    assert client.get("/admin/otp_totp/totpdevice/999999/config/").status_code in (302, 404)
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[totp_device.pk]), {"post": "yes"})
    assert response.status_code == 302
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not TOTPDevice.objects.filter(pk=totp_device.pk).exists()
