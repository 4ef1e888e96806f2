import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

MODELS = [(m._meta.app_label, m._meta.model_name) for m in admin.site._registry]


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_admin_changelist_and_add_pages_render(client, admin_user, make_arrival, hamlet, app, model):
    make_arrival()
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
    add = client.get(reverse(f"admin:{app}_{model}_add"))
    assert add.status_code in (200, 403)  # 403: read-only models such as the audit log


def test_admin_user_page_shows_reach_in_words(client, admin_user, make_user):
    user = make_user("babinsa", "13.71.01.1001", "13.71.01.1002")
    client.force_login(admin_user)
    html = client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    assert "Kelurahan Belakang Pondok, Kecamatan Padang Selatan, Kota Padang" in html
    assert "Peran dan jangkauan" in html


def test_admin_creates_a_camat_with_a_district(client, admin_user, regions):
    client.force_login(admin_user)
    district = regions.get(code="13.71.01")
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "camat.baru",
            "usable_password": "true",
            "password1": "Rahasia-Sekali-2026",
            "password2": "Rahasia-Sekali-2026",
            "role": "district",
            "jurisdictions": [district.pk],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    from accounts.models import User

    user = User.objects.get(username="camat.baru")
    assert list(user.jurisdictions.all()) == [district]
    assert user.groups.get().name == "Camat"


def test_admin_refuses_a_camat_with_a_village(client, admin_user, regions):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "camat.salah",
            "usable_password": "true",
            "password1": "Rahasia-Sekali-2026",
            "password2": "Rahasia-Sekali-2026",
            "role": "district",
            "jurisdictions": [regions.get(code="13.71.01.1002").pk],
        },
    )
    assert response.status_code == 200
    assert "bukan kecamatan" in response.content.decode()


def test_non_staff_cannot_open_the_admin(client, village_head):
    client.force_login(village_head)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/login/" in response.url


# What the Django admin showed in English in the Indonesian interface: django-otp's names (it
# names nothing), django-axes' leftovers, and Django's stored "Can add …" permission names.
ENGLISH_LEFTOVERS = [
    "Otp_Totp",
    "Otp_Static",
    "TOTP device",
    "static device",
    "Static device",
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
    "last used",
    "Last used",
    ">Name<",
    ">User<",
    ">Confirmed<",
    "The human-readable name",
    ">Path<",
    "User Agent",
    ">Axes<",
]


def test_the_admin_reads_in_indonesian(client, admin_user, make_arrival, hamlet):
    from django.contrib.auth.models import Group

    from conftest import totp_device_for

    make_arrival()
    totp_device_for(admin_user)
    client.force_login(admin_user)
    client.get(reverse("admin:index"))  # an axes access log entry, for its pages
    group = Group.objects.create(name="Uji")
    urls = [reverse("admin:index"), reverse("admin:auth_group_add")]
    urls.append(reverse("admin:auth_group_change", args=[group.pk]))
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        obj = model._default_manager.first()
        if obj is not None:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
        assert response.status_code == 200, url
        page = response.content.decode()
        assert [text for text in ENGLISH_LEFTOVERS if text in page] == [], url
    page = client.get(reverse("admin:auth_group_add")).content.decode()
    assert "Dapat menambah perangkat autentikator (TOTP)" in page
    assert "Dua langkah: aplikasi autentikator" in client.get(reverse("admin:index")).content.decode()
