"""Load mix for bench/run.py: 200 officials reading their area with think time, 10 posts entering travellers.

Sessions come from the bench run (BENCH_SESSIONS, made by force_login on the bench database), so
no password crosses the wire and no login page is in the figures.
"""

import json
import os
import random
import uuid
from datetime import date, timedelta

from locust import HttpUser, between, constant_throughput, task

SESSIONS = json.loads(os.environ.get("BENCH_SESSIONS", "{}"))
OFFICIALS = ("provinsi", "kabkota", "camat", "lurah")


def cookies(username):
    jar = {"sessionid": SESSIONS["sessions"][username]}
    jar[SESSIONS["csrf_cookie"]] = SESSIONS["csrf"]
    return jar


class Official(HttpUser):
    """A task force member, camat or wali nagari opening their pages, reading a while between clicks."""

    fixed_count = 200
    wait_time = between(2, 8)

    def on_start(self):
        self.username = random.choice(OFFICIALS)
        self.client.cookies.update(cookies(self.username))

    @task(5)
    def region_today(self):
        self.client.get("/pantau/kedatangan/", name="region today")

    @task(3)
    def overview(self):
        self.client.get("/pantau/", name="overview")

    @task(2)
    def due(self):
        # Only village-level accounts record checks; the others look at their arrivals instead.
        if self.username == "lurah":
            self.client.get("/pantau/isolasi/hari-ini/", name="isolation due")
        else:
            self.region_today()

    @task(1)
    def search(self):
        self.client.get("/pantau/kedatangan/?q=Rahmi%20Kota", name="name search")


class Post(HttpUser):
    """A busy border post: one traveller every 10 seconds each (a bus every few minutes)."""

    fixed_count = 10
    wait_time = constant_throughput(0.1)

    def on_start(self):
        self.client.cookies.update(cookies("petugas"))

    @task
    def submit(self):
        sex = random.choice("LP")
        born = date(1960, 1, 1) + timedelta(days=random.randrange(15000))
        nik = f"137101{born.day + (40 if sex == 'P' else 0):02d}{born:%m%y}{random.randrange(2, 10000):04d}"
        today = date.today()
        body = {
            "entry_key": str(uuid.uuid4()),
            "id_type": "nik",
            "id_number": nik,
            "name": random.choice(["Rina Koto", "Budi Piliang", "Siti Chaniago", "Afrizal Tanjung"]),
            "sex": sex,
            "birth_date": born.isoformat(),
            "phone": "0812-3456-7890",
            "home_address": "Jl. Gatot Subroto 12, Jambi",
            "home_region": "15.71",
            "origin": "15.71",
            "origin_place": "Terminal Alam Barajo",
            # Outside Kota Padang, whose lists the officials read (as the in-process bench does).
            "destination": SESSIONS.get("destination", "13.03.01.2001"),
            "destination_address": "Jl. Sutan Syahrir No. 5",
            "purpose": "family",
            "transport": "car",
            "plate": "BH 1234 AB",
            "temperature": "36.5",
            "symptoms": [],
            "travel_stops": [
                {"region": "15.71", "place": "", "date_from": (today - timedelta(days=9)).isoformat(),
                 "date_to": today.isoformat()}
            ],
        }  # fmt: skip
        self.client.post(
            "/posko/api/kedatangan/", json=body, headers={"X-CSRFToken": SESSIONS["csrf"]}, name="entry submit"
        )
