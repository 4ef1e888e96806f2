"""Fixtures shared by every app's tests: region data, accounts per role, arrivals, a browser."""

import itertools
import os
import uuid
from datetime import date

import pytest
from django.utils import timezone

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made
# by the test itself are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HOME = "13"
PADANG = "13.71"
PADANG_SELATAN = "13.71.01"
ALANG_LAWEH = "13.71.01.1002"
BELAKANG_PONDOK = "13.71.01.1001"
PADANG_TIMUR = "13.71.02"
SAWAHAN = "13.71.02.1001"
AGAM = "13.06"

_serial = itertools.count(1)


def make_nik(district="13.71.01", birth=date(1990, 5, 17), sex="L", serial=None):
    """A structurally valid NIK: district code, birth date (+40 on the day for women), serial."""
    day = birth.day + (40 if sex == "P" else 0)
    serial = next(_serial) if serial is None else serial
    return f"{district.replace('.', '')}{day:02d}{birth:%m%y}{serial:04d}"


_LOADED_REGIONS = []  # the shipped regions as loaded once per test database, for a fast restore


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped regions once into the test database, and keep their rows for a restore."""
    from regions.loading import load_regions
    from regions.models import Region

    with django_db_blocker.unblock():
        load_regions(province=HOME)
        _LOADED_REGIONS[:] = list(Region.objects.order_by("level", "code"))


@pytest.fixture(autouse=True)
def fresh_catalogues():
    """Each test starts without the process's copies of the region data: the region and post
    catalogues (regions/catalogue.py) and the pickers' offline region file (regions/offline.py,
    kept a minute). A test's changes are rolled back with its transaction, which sends no signal,
    and a transactional test empties the tables before their rows are restored: a copy made then
    would serve the next test a region list without its villages."""
    from checkpoints.catalogue import checkpoints
    from regions import offline
    from regions.catalogue import regions

    def forget():
        for catalogue in (regions, checkpoints):
            catalogue._data = None
        offline.forget()

    forget()
    yield
    forget()


@pytest.fixture
def regions(db):
    """The regions, loaded (restored with their ids, when a transactional test flushed them).

    A transactional test (the browser tests' live server) ends with a flush of every table; the
    next one needs the 9,000 regions back. Writing the kept rows costs a fifth of load_regions'
    parsing of the shipped files (docs/ci.md); load_regions itself has tests of its own.
    """
    from regions.models import Region

    if not Region.objects.filter(code=HOME).exists():
        Region.objects.bulk_create(_LOADED_REGIONS, batch_size=2000)
    return Region.objects


@pytest.fixture
def hamlet(regions):
    from regions.models import Region

    region, _ = Region.objects.get_or_create(
        code=f"{ALANG_LAWEH}.01",
        defaults={"name": "Tangah", "level": Region.Level.HAMLET, "parent": Region.objects.get(code=ALANG_LAWEH)},
    )
    return region


@pytest.fixture
def checkpoint(regions):
    from checkpoints.models import Checkpoint

    return Checkpoint.objects.get_or_create(
        code="dharmasraya-jambi",
        defaults={
            "name": "Posko Dharmasraya – Jambi",
            "regency": regions.get(code="13.10"),
            "borders": regions.get(code="15"),
        },
    )[0]


@pytest.fixture
def other_checkpoint(regions):
    from checkpoints.models import Checkpoint

    return Checkpoint.objects.get_or_create(
        code="pasaman-sumut",
        defaults={
            "name": "Posko Pasaman – Sumatera Utara",
            "regency": regions.get(code="13.08"),
            "borders": regions.get(code="12"),
        },
    )[0]


@pytest.fixture
def role_groups(db):
    """The role groups of migration accounts.0002 (again, when a transactional test flushed them)."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    from accounts.roles import ROLE_GROUP, sync_role_groups

    if Group.objects.filter(name__in=ROLE_GROUP.values()).count() != len(ROLE_GROUP):
        sync_role_groups(apps)


@pytest.fixture
def make_user(regions, checkpoint, role_groups):
    """make_user(role, *codes, checkpoint=...) -> an active account with that role and reach."""
    from accounts.models import User
    from regions.models import Region

    counter = itertools.count(1)

    def make(role="", *codes, post=None, **extra):
        user = User.objects.create_user(
            username=extra.pop("username", f"{role or 'user'}{next(counter)}"),
            password="kata-sandi-uji-123",
            role=role,
            checkpoint=(post or checkpoint) if role == "officer" else None,
            **extra,
        )
        if codes:
            user.jurisdictions.set(Region.objects.filter(code__in=codes))
        return user

    return make


@pytest.fixture
def officer(make_user):
    return make_user("officer", username="petugas")


@pytest.fixture
def village_head(make_user):
    return make_user("village", ALANG_LAWEH, username="lurah")


@pytest.fixture
def admin_user(db):
    from accounts.models import User

    return User.objects.create_superuser("admin", "admin@example.go.id", "kata-sandi-uji-123")


@pytest.fixture
def make_person(db):
    from travellers.models import Person

    def make(**fields):
        fields.setdefault("id_number", make_nik(sex=fields.get("sex", "L")))
        fields.setdefault("name", "Budi Santoso")
        fields.setdefault("sex", "L")
        fields.setdefault("birth_date", date(1990, 5, 17))
        return Person.objects.create(**fields)

    return make


@pytest.fixture
def make_arrival(regions, checkpoint, make_person):
    """make_arrival(destination="13.71.01.1002", **fields) -> a stored arrival."""
    from travellers.models import Arrival

    def make(destination=ALANG_LAWEH, **fields):
        fields.setdefault("person", make_person())
        fields.setdefault("checkpoint", checkpoint)
        fields.setdefault("arrived_at", timezone.now())
        fields.setdefault("origin", regions.get(code="15.71"))
        fields.setdefault("destination_address", "Jl. Sutan Syahrir No. 1")
        fields.setdefault("purpose", Arrival.Purpose.HOMECOMING)
        fields.setdefault("transport", Arrival.Transport.CAR)
        fields.setdefault("entry_key", uuid.uuid4())
        if isinstance(destination, str):
            destination = regions.get(code=destination)
        return Arrival.objects.create(destination=destination, **fields)

    return make


# ------------------------------------------------------------------------------
# Browser: Debian's Chromium driven by Playwright (no browser download).
# ------------------------------------------------------------------------------
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
ARTIFACTS = os.path.join(os.path.dirname(__file__), "test-artifacts")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session", autouse=True)
def serial_live_server_on_sqlite():
    """On SQLite the live server answers one request at a time.

    The test database is in memory there, and the live server shares the test's one connection
    with every request thread: two requests at once (a page and the region data its service
    worker fetches) interleaved their savepoints on it ("no such savepoint", then 500s). A serial
    server closes each connection after its answer, so the browser simply queues. PostgreSQL
    gives each request its own connection and keeps the threaded server.
    """
    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    if connection.vendor != "sqlite":
        yield
        return

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)  # LiveServerThread.run installs the shared connection

    threaded, LiveServerThread.server_class = LiveServerThread.server_class, SerialWSGIServer
    yield
    LiveServerThread.server_class = threaded


class _RequestsInFlight:
    """Requests the live server is still answering (Django's request_started/request_finished)."""

    def __init__(self):
        import threading

        from django.core.signals import request_finished, request_started

        self.count, self.lock = 0, threading.Lock()
        request_started.connect(self.started, dispatch_uid="tests-in-flight-started")
        request_finished.connect(self.finished, dispatch_uid="tests-in-flight-finished")

    def started(self, **kwargs):
        with self.lock:
            self.count += 1

    def finished(self, **kwargs):
        with self.lock:
            self.count -= 1

    def settle(self, timeout=10.0):
        """Wait until no request is being answered: the flush after a live-server test must not
        meet one still reading (SQLite: "database table is locked" on the shared connection)."""
        import time

        deadline = time.monotonic() + timeout
        while self.count > 0 and time.monotonic() < deadline:
            time.sleep(0.02)


@pytest.fixture(scope="session")
def in_flight():
    return _RequestsInFlight()


@pytest.fixture
def new_page(browser, in_flight):
    """new_page(viewport=PHONE) -> a page in a fresh browser context (own cookies, own storage)."""
    contexts = []

    def make(viewport=PHONE, **options):
        context = browser.new_context(viewport=viewport, locale="id-ID", timezone_id="Asia/Jakarta", **options)
        # 30 s: the suite runs two workers per core, each with its Chromium and live server; a wait
        # that passes takes what it takes, and only a real failure waits this long.
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    in_flight.settle()


@pytest.fixture
def screenshot():
    """screenshot(page, name): save a full-page PNG under test-artifacts/ for people to look at."""
    os.makedirs(ARTIFACTS, exist_ok=True)

    def take(page, name):
        path = os.path.join(ARTIFACTS, f"{name}.png")
        page.screenshot(path=path, full_page=True)
        return path

    return take


def browser_login(page, live_server, username, password="kata-sandi-uji-123", *, second_factor=False):
    """Log in through the real login form; with second_factor, also pass two-factor as an enrolled user."""
    device = None
    if second_factor:
        from accounts.models import User

        device = totp_device_for(User.objects.get(username=username))
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    if device is not None:
        browser_verify(page, device)


# ------------------------------------------------------------------------------
# Two-factor: privileged accounts (admins, task forces) need a verified TOTP device.
# ------------------------------------------------------------------------------
def totp_device_for(user):
    """`user`'s confirmed TOTP device, made if they have none (as if they had enrolled)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Aplikasi autentikator", confirmed=True)


def otp_verify_session(client, user):
    """Give `user` a confirmed TOTP device (if none) and mark `client`'s session verified with it."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = totp_device_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def verified_client_class():
    """Django's test Client whose force_login(user) also passes two-factor for privileged users.

    force_login(user, otp=False) leaves the second factor unproven, to test that it is asked for.
    """
    from django.test import Client

    from accounts.roles import is_privileged

    class SipantauClient(Client):
        def force_login(self, user, backend=None, otp=True):
            super().force_login(user, backend)
            if otp and is_privileged(user):
                otp_verify_session(self, user)

    return SipantauClient


@pytest.fixture
def client():
    """The test client, signing privileged users in with their second factor too."""
    return verified_client_class()()


def totp_code(device, at=None):
    """The code an authenticator app shows for `device` now (or at epoch second `at`)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def browser_verify(page, device):
    """Type the current TOTP code of `device` into the verification (or enrolment) page."""
    page.get_by_label("Kode verifikasi").fill(totp_code(device))
    page.get_by_role("button", name="Lanjut").click()
    page.wait_for_load_state()


def wait_until(page, expression, timeout=10_000, interval=100):
    """Poll a JavaScript expression (a promise is awaited) until it is truthy.

    Playwright's wait_for_function evaluates its string with eval inside the page, which the
    site's CSP (no 'unsafe-eval') forbids; page.evaluate goes through the debugger instead.
    """
    import time

    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if page.evaluate(expression):
                return
        except Error as error:  # the page navigated meanwhile: ask the new one
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} ms waiting for: {expression}")
        page.wait_for_timeout(interval)
