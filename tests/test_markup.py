"""Every page of every role is valid HTML (the Nu HTML checker) and passes axe-core (issue 14).

The pages are found the way a user finds them: each demo account (seed_demo, seed_demo_activity
with a few days) starts at its landing page and follows the links it is shown, up to two pages
per URL name (the second a filter, a page 2 or another record). Added to those: the login page,
the offline page, the entry form after an empty save (its errors), a 404 and a 403. The admin,
exports and other non-HTML answers are left out.

The Nu checker (vnu-jar, a Java program) runs once over all pages; axe runs in Chromium, one
page per role. Both come from npm (package.json) and Java from Debian: bin/test installs them.
Without them the tests are skipped, except in CI (CI=true), where they fail.
"""

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from conftest import otp_verify_session

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VNU = os.path.join(ROOT, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
AXE = os.path.join(ROOT, "node_modules", "axe-core", "axe.min.js")
ACCOUNTS = ["petugas", "provinsi", "kabkota", "camat", "lurah", "kampung", "babinsa", "bhabin"]
PER_NAME = 2  # pages per URL name and role
SKIP_NAMES = {
    "set_language",
    "accounts:logout",
    "service_worker",
    "web_manifest",
    "healthz",
    # Downloads, not pages.
    "monitoring:arrival_export_csv",
    "monitoring:arrival_export_xlsx",
}


def need(path, what):
    """Skip (fail in CI) when a tool bin/test installs is missing."""
    missing = None
    if not os.path.exists(path):
        missing = f"{what} is not installed ({os.path.relpath(path, ROOT)}): run bin/test, or npm ci --ignore-scripts"
    elif path == VNU and shutil.which("java") is None:
        missing = "the Nu HTML checker needs Java (Debian: apt-get install default-jre-headless)"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def seed_demo_world():
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", allow_production=True, stdout=quiet)
        call_command("seed_demo_activity", days=3, per_day=15, allow_production=True, stdout=quiet)


def signed_in(username):
    from accounts.models import User
    from accounts.roles import is_privileged

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    if is_privileged(user):
        otp_verify_session(client, user)
    return client


def page_name(url):
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client, start="/"):
    """[(url, html)] of the pages reachable by following links from `start` (PER_NAME per URL name)."""
    pages, seen, per_name = [], set(), {}
    queue = [start]
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        final = response.request["PATH_INFO"] + (
            "?" + response.request["QUERY_STRING"] if response.request.get("QUERY_STRING") else ""
        )
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        if final != url and final in seen:
            continue
        seen.add(final)
        pages.append((final, html))
        parser = Links()
        parser.feed(html)
        for href in parser.hrefs:
            target = urljoin(final, href.split("#")[0])
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not target.startswith("/"):
                continue  # another site
            name = page_name(target)
            if name is None or name in SKIP_NAMES or name.startswith("admin:") or target in seen:
                continue
            if per_name.get(name, 0) >= PER_NAME:
                continue
            per_name[name] = per_name.get(name, 0) + 1
            queue.append(target)
    return pages


def every_page():
    """{role account: [(url, html)]}, plus the pages nobody is logged in for and the error pages."""
    found = {username: crawl(signed_in(username)) for username in ACCOUNTS}
    anonymous = Client()
    found["anonymous"] = [(url, anonymous.get(url).content.decode()) for url in ("/akun/masuk/", "/luring/")]
    officer = signed_in("petugas")
    empty = {"orang-TOTAL_FORMS": "1", "orang-INITIAL_FORMS": "0", "riwayat-TOTAL_FORMS": "1"}
    empty |= {"riwayat-INITIAL_FORMS": "0", "riwayat-0-place": "Pasar", "orang-0-id_number": "123"}
    extra = [("/posko/catat/ (errors)", officer.post("/posko/catat/", empty).content.decode())]
    extra.append(("/tidak-ada/ (404)", officer.get("/tidak-ada/").content.decode()))
    extra.append(("/pantau/ (403)", officer.get("/pantau/").content.decode()))
    found["petugas"] += extra
    # Practice mode ("Latihan"): the switch pressed, the banner, the hidden mode field of the form.
    for username, urls in (("petugas", ["/posko/catat/"]), ("lurah", ["/pantau/kotak-masuk/", "/pantau/isolasi/"])):
        practising = signed_in(username)
        practising.post("/akun/latihan/", {"practice": "1"})
        found[username] += [(f"{url} (latihan)", practising.get(url).content.decode()) for url in urls]
    return found


def slug(text):
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:80] or "root"


@pytest.mark.django_db
def test_every_page_of_every_role_is_valid_html(tmp_path, regions, role_groups):
    need(VNU, "vnu-jar")
    seed_demo_world()
    pages = every_page()
    names = {}
    for role, found in pages.items():
        assert found, f"{role}: no pages found"
        for n, (url, html) in enumerate(found):
            path = tmp_path / f"{role}-{n:02d}-{slug(url)}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = f"{role} {url}"
    print(f"Nu HTML checker over {len(names)} pages")
    result = subprocess.run(
        ["java", "-Xss2m", "-jar", VNU, "--format", "json", "--errors-only", "--exit-zero-always", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    listing = [
        f"{names.get(os.path.basename(m.get('url', '')), m.get('url'))}:{m.get('lastLine', '?')}: {m['message']}"
        + (f"  [{m['extract'].strip()[:120]}]" if m.get("extract") else "")
        for m in errors
    ]
    assert not listing, f"{len(listing)} Nu HTML checker errors:\n" + "\n".join(listing)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_role_passes_axe(live_server, new_page, regions, role_groups):
    need(AXE, "axe-core")
    seed_demo_world()
    pages = every_page()
    violations = []
    checked = 0
    for role, found in pages.items():
        # The pages allow no script but their own (CSP): axe is injected. No service worker: the
        # offline copies are not what is checked here, and it would fetch the region file each time.
        page = new_page(bypass_csp=True, service_workers="block")
        if role != "anonymous":
            session = signed_in(role).cookies["sessionid"].value
            page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        names = set()
        for url, _html in found:
            name = page_name(url)
            if " (" in url or name in names:
                continue  # the error states are for the checker test; one page per URL name here
            names.add(name)
            page.goto(live_server.url + url, wait_until="domcontentloaded")
            page.add_script_tag(path=AXE)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            checked += 1
            for v in result["violations"]:
                targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
                violations.append(f"{role} {url}: {v['id']} ({v['impact']}): {v['help']} — {targets}")
        page.close()
    print(f"axe over {checked} pages")
    assert not violations, f"{len(violations)} axe violations:\n" + "\n".join(violations)
