"""The embedded default database takes two writes at once: the second waits instead of failing."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite's locking only"
)


@pytest.fixture(autouse=True)
def _own_files(django_db_blocker):
    """These tests open their own database files, outside the test database."""
    with django_db_blocker.unblock():
        yield


def _connection(path):
    """A connection configured as settings.DATABASES['default'] is outside the tests, on the file `path`."""
    options = {**settings.DATABASES["default"].get("OPTIONS", {}), **settings.SQLITE_FILE_OPTIONS}
    config = {**settings.DATABASES["default"], "NAME": str(path), "TEST": {}, "OPTIONS": options}
    wrapper = DatabaseWrapper(config, alias="concurrency")
    wrapper.settings_dict.setdefault("TIME_ZONE", None)
    return wrapper


def test_sqlite_default_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    conn = _connection(tmp_path / "db.sqlite3")
    with conn.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 10_000
    conn.close()


def test_two_concurrent_saves_both_succeed(tmp_path):
    """A double tap on "Simpan": two request transactions that each read, then write."""
    path = tmp_path / "db.sqlite3"
    setup = _connection(path)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE entry (key TEXT PRIMARY KEY)")
    setup.close()

    errors, started = [], threading.Barrier(2)

    def save(key):
        conn = _connection(path)
        try:
            connections["concurrency"] = conn  # thread-local, as each request's connection is
            started.wait()
            with transaction.atomic(using="concurrency"), conn.cursor() as cursor:  # as ATOMIC_REQUESTS
                cursor.execute("SELECT count(*) FROM entry")
                time.sleep(0.3)  # the other request arrives while this one holds its transaction
                cursor.execute("INSERT INTO entry VALUES (%s)", [key])
        except Exception as error:  # any failure is the finding
            errors.append(error)
        finally:
            conn.close()

    threads = [threading.Thread(target=save, args=(key,)) for key in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    check = _connection(path)
    with check.cursor() as cursor:
        assert cursor.execute("SELECT count(*) FROM entry").fetchone()[0] == 2
    check.close()


def test_the_served_sqlite_database_gets_these_options():
    """Outside the tests (bin/serve, runserver, commands) the default SQLite database has them."""
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"DJANGO_DEBUG": "1"}
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    env["DJANGO_SETTINGS_MODULE"] = "sipantau.settings"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == settings.SQLITE_FILE_OPTIONS
