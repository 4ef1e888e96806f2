"""Access matrix of the follow-up pages: every role × an object in its area or outside it.

Out of reach answers 404 (never another area's data); a role lacking the capability answers 403.
"""

import pytest
from django.urls import reverse

from followup.models import IsolationOrder
from followup.services import isolation_check_record, violation_report_raise
from regions.models import Region

pytestmark = pytest.mark.django_db

ROLES = ["village", "hamlet", "babinsa", "police", "district", "regency", "province", "officer"]
VIEWERS = {"village", "hamlet", "babinsa", "police", "district", "regency", "province"}


@pytest.fixture
def world(clock, team, register, make_person, regions):
    """The same story in Alang Laweh (Padang: 'own' for the Padang accounts) and in a village of Agam."""
    agam_village = Region.objects.filter(code__startswith="13.06.", level=Region.Level.VILLAGE).first()
    data = {}
    stories = [("own", "13.71.01.1002", "Rahmat Sendiri"), ("other", agam_village.code, "Siti Lain")]
    for key, destination, name in stories:
        arrival = register(destination=destination, person=make_person(name=name))
        order = IsolationOrder.objects.get(arrival=arrival)
        check = isolation_check_record(order=order, user=team["village"], at_home=False)
        report = violation_report_raise(failed_check=check, user=team["village"], description="Tidak di rumah")
        unreported = isolation_check_record(order=order, user=team["babinsa"], at_home=False, note="sore")
        data[key] = {"arrival": arrival, "order": order, "check": unreported, "report": report}
    return data


def url_for(name, obj):
    if name == "arrival_confirm":
        return reverse("followup:arrival_confirm", args=[obj["arrival"].pk])
    if name == "report_create":
        return reverse("followup:report_create", args=[obj["check"].pk])
    if name.startswith("report_"):
        return reverse(f"followup:{name}", args=[obj["report"].pk])
    return reverse(f"followup:{name}", args=[obj["order"].pk])


# Status for an object in the role's own area. The order is bound for the village itself, so the
# hamlet head (whose reach is one jorong of it) does not reach it.
OWN = {
    "isolation_detail": dict.fromkeys(VIEWERS, 200) | {"hamlet": 404, "officer": 403},
    "report_detail": dict.fromkeys(VIEWERS, 200) | {"hamlet": 404, "officer": 403},
    "report_letter": dict.fromkeys(VIEWERS, 200) | {"hamlet": 404, "officer": 403},
    # Fresh arrivals wait in the village team's inbox only; above it they show after escalation.
    "arrival_confirm": {"village": 200, "babinsa": 200, "police": 200}
    | dict.fromkeys(["hamlet", "district", "regency", "province"], 404)
    | {"officer": 403},
    # Whoever visits may report (the hamlet head does not reach an order bound for the village).
    "report_create": {"village": 200, "babinsa": 200, "police": 200, "hamlet": 404}
    | dict.fromkeys(("district", "regency", "province", "officer"), 403),
}
OTHER = {
    name: {r: (403 if expected[r] == 403 else 404) for r in ROLES} | {"province": expected["province"]}
    for name, expected in OWN.items()
}
CASES = [(name, role, "own", OWN[name][role]) for name in OWN for role in ROLES] + [
    (name, role, "other", OTHER[name][role]) for name in OTHER for role in ROLES
]


@pytest.mark.parametrize(("name", "role", "where", "status"), CASES, ids=[f"{n}-{r}-{w}" for n, r, w, _ in CASES])
def test_detail_pages(client, team, world, name, role, where, status):
    client.force_login(team[role])
    assert client.get(url_for(name, world[where])).status_code == status


POSTS = [
    ("check_create", {"at_home": "1"}, {"village", "babinsa", "police"}),
    ("isolation_period", {"days": "7", "reason": "uji"}, {"village", "district", "regency", "province"}),
    ("isolation_close", {"close-reason": "uji"}, {"village", "district", "regency", "province"}),
    ("report_acknowledge", {"note": ""}, {"police"}),
    ("report_close", {"action_taken": "uji"}, {"police"}),
]


@pytest.mark.parametrize(("name", "data", "allowed"), POSTS, ids=[p[0] for p in POSTS])
@pytest.mark.parametrize("role", ROLES)
def test_writes_reach_only_own_area_and_capable_roles(client, team, world, name, data, allowed, role):
    client.force_login(team[role])
    other = client.post(url_for(name, world["other"]), data).status_code
    assert other in (403, 404) if role != "province" else other in (302, 403)
    own = client.post(url_for(name, world["own"]), data).status_code
    if role in allowed:
        assert own == 302
    else:
        assert own in (403, 404)


LISTS = ["dispatch_inbox", "isolation_list", "report_list", "followup_overview", "digest_settings"]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("role", ROLES)
def test_lists_show_only_the_own_area(client, team, world, name, role):
    client.force_login(team[role])
    response = client.get(reverse(f"followup:{name}"))
    if role == "officer":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = response.content.decode()
    if role != "province":
        assert "Siti Lain" not in html
    if name in ("isolation_list", "report_list") and role not in ("hamlet",):
        assert "Rahmat Sendiri" in html


@pytest.mark.parametrize("role", ROLES)
def test_checks_due_needs_record_checks(client, team, world, role):
    client.force_login(team[role])
    response = client.get(reverse("followup:checks_due"))
    assert response.status_code == (200 if role in ("village", "hamlet", "babinsa", "police") else 403)
    if response.status_code == 200:
        assert "Siti Lain" not in response.content.decode()


def test_admin_pages_of_orders_and_reports_render_read_only(client, admin_user, world):
    client.force_login(admin_user)
    order, report = world["own"]["order"], world["own"]["report"]
    html = client.get(reverse("admin:followup_isolationorder_change", args=[order.pk])).content.decode()
    assert "Isolasi dimulai" in html
    assert client.get(reverse("admin:followup_violationreport_change", args=[report.pk])).status_code == 200
    assert client.get(reverse("admin:followup_isolationorder_add")).status_code == 403


def test_admin_lists_go_through_visible_to(client, make_user, world):
    from django.contrib.auth.models import Permission

    staff = make_user("village", "13.71.01.1002", username="lurah.staf", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_isolationorder", "view_violationreport"]))
    client.force_login(staff)
    html = client.get(reverse("admin:followup_isolationorder_changelist")).content.decode()
    assert "Rahmat Sendiri" in html and "Siti Lain" not in html
    other = world["other"]["order"]
    assert client.get(reverse("admin:followup_isolationorder_change", args=[other.pk])).status_code == 302
