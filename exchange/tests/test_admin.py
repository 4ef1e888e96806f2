"""An admin creates an API client and its token in the Django admin; the token is shown once, then revoked."""

import re

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.urls import reverse

from exchange.models import ApiClient, ApiToken, hash_token

pytestmark = pytest.mark.django_db


def test_admin_creates_a_client_then_a_token_shown_once(client, admin_user, regions, role_groups):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:exchange_apiclient_add"),
        {
            "name": "SATUSEHAT Dinkes Kota Padang",
            "operator": "Dinas Kesehatan Kota Padang, 0751-000000",
            "username": "dinkes-padang-api",
            "role": "system_nik",
            "region_codes": "13.71",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    api_client = ApiClient.objects.get()
    user = api_client.user
    assert user.role == "system_nik" and not is_password_usable(user.password)
    assert list(user.jurisdictions.values_list("code", flat=True)) == ["13.71"]
    assert user.groups.get().name == "Sistem kesehatan (API, NIK utuh)"

    response = client.post(
        reverse("admin:exchange_apitoken_add"),
        {"client": api_client.pk, "label": "produksi", "expires_at_0": "2027-06-01", "expires_at_1": "00:00:00"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    secret = re.search(r'value="(sip_[^"]+)"', html).group(1)
    token = ApiToken.objects.get()
    assert token.key_hash == hash_token(secret) and secret not in token.key_hash
    assert secret.startswith(token.prefix)

    # Shown once: the token's own page and the client's page carry only its start.
    for url in (
        reverse("admin:exchange_apitoken_change", args=[token.pk]),
        reverse("admin:exchange_apiclient_change", args=[api_client.pk]),
    ):
        page = client.get(url).content.decode()
        assert token.prefix in page and secret not in page

    # The token reads.
    assert client.get(reverse("exchange:arrival_list"), HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200

    # Revoked in the admin: it no longer reads.
    response = client.post(
        reverse("admin:exchange_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(reverse("exchange:arrival_list"), HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


@pytest.mark.parametrize(
    ("role", "codes", "error"),
    [
        ("system", "12", "di luar provinsi"),
        ("system", "99.99", "tidak dikenal"),
        ("province", "13", "pilihan yang valid"),  # a person's role is not offered for a system
    ],
)
def test_admin_refuses_a_client_out_of_bounds(client, admin_user, regions, role, codes, error):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:exchange_apiclient_add"),
        {"name": "Sistem", "username": "sistem-api", "role": role, "region_codes": codes},
    )
    assert response.status_code == 200
    assert error in str(response.context["adminform"].form.errors)
    assert not ApiClient.objects.exists()


def test_a_system_account_reaches_any_level_in_the_province(regions):
    from accounts.roles import jurisdiction_errors

    for code in ["13", "13.71", "13.71.01", "13.71.01.1002"]:
        assert (
            jurisdiction_errors(role="system", regions=[regions.get(code=code)], checkpoint=None, province_code="13")
            == []
        )
    assert jurisdiction_errors(role="system", regions=[], checkpoint=None, province_code="13")


def test_tokens_cannot_be_deleted_only_revoked(client, admin_user, api_client):
    api, _secret = api_client("system", "13")
    client.force_login(admin_user)
    token = api.tokens.get()
    assert client.get(reverse("admin:exchange_apitoken_delete", args=[token.pk])).status_code == 403
