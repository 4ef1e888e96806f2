"""The one entry-specific part of the drills: a valid body for POST /posko/api/kedatangan/ (docs/entry.md)."""

import uuid
from datetime import date, timedelta

API_PATH = "/posko/api/kedatangan/"
DESTINATIONS = ["13.71.01.1002", "13.71.01.1001", "13.71.02.1001"]
ORIGINS = ["15.71", "14.71", "12.71", "31.71"]  # Kota Jambi, Pekanbaru, Medan, Jakarta Pusat


def nik(index: int, sex: str = "L") -> str:
    """A structurally valid NIK unique per index (the shape of conftest.make_nik)."""
    birth = date(1960, 1, 1) + timedelta(days=index // 9999)
    day = birth.day + (40 if sex == "P" else 0)
    return f"137101{day:02d}{birth:%m%y}{index % 9999 + 1:04d}"


def arrival_payload(index: int, *, today: date | None = None) -> dict:
    """Traveller number `index` of a drill: valid, distinct NIK, with its own entry_key."""
    today = today or date.today()
    sex = "P" if index % 2 else "L"
    birth = date(1960, 1, 1) + timedelta(days=index // 9999)
    return {
        "entry_key": str(uuid.uuid4()),
        "id_type": "nik",
        "id_number": nik(index, sex),
        "name": f"Pelaku Perjalanan Latihan {index}",
        "sex": sex,
        "birth_date": birth.isoformat(),
        "phone": f"0812{index:08d}",
        "home_address": f"Jl. Latihan No. {index}",
        "home_region": "13.71.01.1002",
        "origin": ORIGINS[index % len(ORIGINS)],
        "origin_place": "Terminal",
        "destination": DESTINATIONS[index % len(DESTINATIONS)],
        "destination_address": f"Jl. Tujuan No. {index}",
        "purpose": "homecoming",
        "transport": "car",
        "plate": f"BA {1000 + index % 9000} XY",
        "temperature": "36.6",
        "symptoms": [],
        "travel_stops": [
            {
                "region": "15.71",
                "place": "",
                "date_from": (today - timedelta(days=5)).isoformat(),
                "date_to": (today - timedelta(days=2)).isoformat(),
            }
        ],
    }
