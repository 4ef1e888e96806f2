import pytest
from django.urls import reverse

from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW = "Rendang-Padang-77"


def test_password_change_page_is_in_indonesian(client, village_head):
    client.force_login(village_head)
    html = client.get(reverse("accounts:password_change")).content.decode()
    for label in ["Kata sandi sekarang", "Kata sandi baru", "Ulangi kata sandi baru", "Simpan kata sandi baru"]:
        assert label in html


@pytest.mark.parametrize(
    ("old", "new1", "new2", "message"),
    [
        ("salah-sekali-123", "Rendang-Padang-77", "Rendang-Padang-77", "Kata sandi sekarang salah"),
        ("kata-sandi-uji-123", "Rendang-Padang-77", "Rendang-Padang-78", "tidak cocok"),
        ("kata-sandi-uji-123", "pendek1", "pendek1", "terlalu pendek"),
        ("kata-sandi-uji-123", "1234567890123", "1234567890123", "seluruhnya terdiri dari angka"),
    ],
)
def test_bad_changes_are_refused_with_the_reason(client, village_head, old, new1, new2, message):
    client.force_login(village_head)
    response = client.post(
        reverse("accounts:password_change"), {"old_password": old, "new_password1": new1, "new_password2": new2}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    village_head.refresh_from_db()
    assert village_head.check_password("kata-sandi-uji-123")


def test_a_good_change_is_saved_and_audited(client, village_head):
    client.force_login(village_head)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "kata-sandi-uji-123",
            "new_password1": "Rendang-Padang-77",
            "new_password2": "Rendang-Padang-77",
        },
        follow=True,
    )
    assert "Kata sandi sudah diganti." in response.content.decode()
    village_head.refresh_from_db()
    assert village_head.check_password("Rendang-Padang-77")
    assert AuditEvent.objects.filter(action="password_changed", user=village_head).count() == 1
