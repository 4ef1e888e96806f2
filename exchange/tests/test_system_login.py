"""A system account reads through the API with its token; it never signs in to the pages."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["system", "system_nik"])
def test_a_system_account_given_a_password_still_cannot_sign_in_to_the_pages(role, make_user, client):
    account = make_user(role, "13.71")  # make_user gives every account the test password
    response = client.post(reverse("accounts:login"), {"username": account.username, "password": "kata-sandi-uji-123"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert "_auth_user_id" not in client.session
