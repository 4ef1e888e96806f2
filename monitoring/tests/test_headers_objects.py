"""Headers, CSP and no-store on the pages of one object, which the URL walk reaches only as 404s."""

import pytest
from django.urls import reverse

from accounts.tests.test_headers import check
from followup.models import IsolationOrder
from followup.services import arrival_follow_up_open, isolation_check_record, violation_report_raise

pytestmark = pytest.mark.django_db


def test_object_pages_keep_the_security_headers(client, team, make_arrival):
    officer = team["officer"]
    arrival = make_arrival(officer=officer)
    arrival_follow_up_open(arrival=arrival)
    order = IsolationOrder.objects.get(arrival=arrival)
    check_row = isolation_check_record(order=order, user=team["village"], at_home=False)
    report = violation_report_raise(failed_check=check_row, user=team["village"], description="uji")
    pages = {
        team["village"]: [
            ("monitoring:arrival_detail", arrival.pk),
            ("followup:isolation_detail", order.pk),
            ("followup:report_detail", report.pk),
            ("followup:report_letter", report.pk),
            ("followup:arrival_confirm", arrival.pk),
        ],
        officer: [("travellers:arrival_update", arrival.pk)],
    }
    for user, names in pages.items():
        client.force_login(user)
        for name, pk in names:
            url = reverse(name, args=[pk])
            response = client.get(url, secure=True)
            assert response.status_code == 200, url
            check(response, url, True, name)
