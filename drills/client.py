"""A signed-in officer's HTTP client (stdlib only): login form, CSRF header, JSON posts with retries."""

import http.client
import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

RETRYABLE = {429, 500, 502, 503, 504}


@dataclass
class Outcome:
    """What one submission came to after its retries."""

    entry_key: str
    status: int | None = None  # the final answer: 201 created, 200 replay, 4xx refused, None gave up
    body: dict = field(default_factory=dict)
    attempts: int = 0
    errors: list[str] = field(default_factory=list)  # what each failed attempt met (connection reset, 503…)

    @property
    def acknowledged(self) -> bool:
        return self.status in (200, 201)


class OfficerClient:
    """One browser-like session: cookies, a login, the CSRF token from the cookie."""

    def __init__(self, base_url: str, username: str = "petugas", password: str = "sipantau-demo", timeout: float = 30):
        self.base_url = base_url
        self.username, self.password, self.timeout = username, password, timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def _cookie(self, name: str) -> str:
        return next((c.value for c in self.cookies if c.name == name), "")

    def login(self) -> None:
        """Sign in through the real login form."""
        url = self.base_url + "/akun/masuk/"
        with self.opener.open(url, timeout=self.timeout) as response:
            page = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"username": self.username, "password": self.password, "csrfmiddlewaretoken": token}
        ).encode()
        with self.opener.open(
            urllib.request.Request(url, data=form, headers={"Referer": url}), timeout=self.timeout
        ) as response:
            if "/akun/masuk/" in response.url:
                raise RuntimeError(f"login as {self.username} failed")

    def post_json(self, path: str, payload: dict) -> tuple[int, dict | None]:
        """One POST; (status, JSON body or None when the answer was not JSON)."""
        request = urllib.request.Request(
            self.base_url + path,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-CSRFToken": self._cookie("csrftoken"),
            },
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                status, raw, kind = response.status, response.read(), response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            status, raw, kind = error.code, error.read(), error.headers.get_content_type()
        return status, (json.loads(raw) if kind == "application/json" else None)

    def submit(self, path: str, payload: dict, *, deadline_s: float = 120, max_attempts: int = 200) -> Outcome:
        """POST until the server answers for this entry_key: retry on drops, 5xx and lost sessions."""
        outcome = Outcome(entry_key=payload["entry_key"])
        give_up = time.monotonic() + deadline_s
        pause = 0.05
        while outcome.attempts < max_attempts and time.monotonic() < give_up:
            outcome.attempts += 1
            try:
                status, body = self.post_json(path, payload)
            except (OSError, http.client.HTTPException, ValueError) as error:
                # Refused, reset, timed out, cut off mid-body: the worker died; the same key goes again.
                outcome.errors.append(type(error).__name__)
            else:
                if body is None and status in (200, 302, 403):
                    # Redirected to the login page (a lost session) or CSRF refused: sign in again.
                    outcome.errors.append(f"{status}-not-json")
                    self._relogin(outcome)
                elif status in RETRYABLE:
                    outcome.errors.append(str(status))
                else:
                    outcome.status, outcome.body = status, body or {}
                    return outcome
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
        return outcome

    def _relogin(self, outcome: Outcome) -> None:
        try:
            self.login()
        except (OSError, RuntimeError, AttributeError) as error:
            outcome.errors.append(f"relogin-{type(error).__name__}")
