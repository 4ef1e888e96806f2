import json

import pytest
from django.urls import reverse

from regions.loading import load_regions
from regions.models import Region
from regions.offline import offline_regions

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, officer):
    client.force_login(officer)
    return client


def test_the_offline_file_holds_every_current_region_compactly(logged_in):
    Region.objects.filter(code="13.71.01.1001").update(retired=True)
    load_regions(province="13")  # a refresh un-retires it and forgets the old file
    Region.objects.filter(code="13.71.01.1001").update(retired=True)
    from regions.offline import forget

    forget()
    version, _ = offline_regions()
    response = logged_in.get(reverse("regions:offline"), {"v": version})
    assert "immutable" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["version"] == version
    children = data["children"]
    assert ["02", "Padang Timur"] in children["13.71"]
    assert ["1002", "Alang Laweh", "l"] in children["13.71.01"]
    assert "1001" not in [row[0] for row in children["13.71.01"]]  # retired: not offered
    assert sum(len(rows) for rows in children.values()) == Region.objects.current().count()
    assert len(response.content) < 300 * 1024


def test_a_change_in_the_regions_changes_the_version(logged_in):
    from regions.offline import forget

    forget()
    before, _ = offline_regions()
    Region.objects.filter(code="13.71.01.1002").update(name="Alang Lawas")
    forget()
    after, _ = offline_regions()
    assert before != after
    stale = logged_in.get(reverse("regions:offline"), {"v": before})
    assert "no-cache" in stale["Cache-Control"]
    assert json.loads(stale.content)["version"] == after
