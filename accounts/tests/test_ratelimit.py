"""Per-user rate limits: a 429 page in Indonesian, an audit record, shared across processes."""

import datetime
import os
import subprocess
import sys
import time
import uuid

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from accounts.models import AuditEvent

PROBE = "/uji/probe/"


@pytest.fixture
def urls_with_probe(settings):
    settings.ROOT_URLCONF = "accounts.tests.ratelimit_urls"


@pytest.fixture(autouse=True)
def fresh_window():
    """Start each test early in a minute so its requests fall in one window."""
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)


@pytest.mark.django_db
def test_the_sixth_request_in_a_minute_is_refused_in_indonesian(client, village_head, urls_with_probe):
    client.force_login(village_head)
    assert [client.get(PROBE).status_code for _ in range(5)] == [200] * 5
    refused = client.get(PROBE)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Terlalu banyak permintaan dalam satu menit" in html and '<html lang="id">' in html
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "no-store" in refused["Cache-Control"]


def redis_reachable():
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_reachable(), reason="no Redis on 127.0.0.1:6379")
@pytest.mark.django_db
def test_the_limit_holds_with_redis_as_the_shared_cache(client, village_head, urls_with_probe, settings):
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=9).flushdb()
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/9"},
    }
    client.force_login(village_head)
    assert [client.get(PROBE).status_code for _ in range(6)] == [200] * 5 + [429]
    assert redis.Redis(host="127.0.0.1", port=6379, db=9).dbsize() > 0  # the counts live in Redis


@pytest.mark.django_db
def test_refusals_are_audited_once_per_minute(client, village_head, urls_with_probe):
    client.force_login(village_head)
    for _ in range(9):
        client.get(PROBE)
    events = AuditEvent.objects.filter(action="rate_limited")
    assert [(e.user, e.detail) for e in events] == [(village_head, {"scope": "probe"})]


@pytest.mark.django_db
def test_limits_are_per_user(client, village_head, make_user, urls_with_probe):
    client.force_login(village_head)
    for _ in range(6):
        client.get(PROBE)
    client.force_login(make_user("village", "13.71.01.1001", username="lurah2"))
    assert client.get(PROBE).status_code == 200


@pytest.mark.django_db
def test_json_clients_get_a_json_429(client, village_head, urls_with_probe):
    client.force_login(village_head)
    for _ in range(5):
        client.get(PROBE)
    response = client.get(PROBE, HTTP_ACCEPT="application/json")
    assert response.status_code == 429
    assert response.json()["errors"]["__all__"][0].startswith("Terlalu banyak permintaan")


@pytest.mark.django_db
def test_the_limit_resets_the_next_minute(client, village_head, urls_with_probe):
    client.force_login(village_head)
    with time_machine.travel("2026-11-25 09:00:05 +07:00", tick=False) as clock:
        for _ in range(6):
            client.get(PROBE)
        assert client.get(PROBE).status_code == 429
        clock.shift(datetime.timedelta(seconds=60))
        assert client.get(PROBE).status_code == 200


WORKER = """
import sys, time
import django
django.setup()
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from accounts.models import User
from accounts.ratelimit import rate_limited

scope, user_pk, start_at = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])

@rate_limited(scope, per_minute=30)
def view(request):
    return HttpResponse("ok")

user = User.objects.get(pk=user_pk)
while time.time() < start_at:
    time.sleep(0.005)
codes = []
for _ in range(25):
    with transaction.atomic():  # as under ATOMIC_REQUESTS in gunicorn
        request = RequestFactory().get("/cari/")
        request.user = user
        codes.append(view(request).status_code)
print(codes.count(200), codes.count(429))
"""


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_one_limit(village_head):
    if connection.vendor == "sqlite":
        pytest.skip("The in-memory SQLite test database is private to this process; PostgreSQL runs this in CI.")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "sipantau.settings"}
    scope = f"search-{uuid.uuid4().hex[:8]}"
    start_at = time.time() + 4  # both workers start hammering at the same instant
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, scope, str(village_head.pk), str(start_at)],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        results.append(tuple(int(n) for n in out.split()))
    allowed = sum(ok for ok, _ in results)
    refused = sum(no for _, no in results)
    assert (allowed, refused) == (30, 20), results
    assert all(ok > 0 for ok, _ in results)  # both really took part
    assert AuditEvent.objects.filter(action="rate_limited", detail__scope=scope).count() == 1
