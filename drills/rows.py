"""Write N arrivals (with their person and travel stop) through the ORM: data for the backup drill.

DATABASE_URL=… python -m drills.rows --count 200 --tag A
"""

import argparse
import os
import uuid
from datetime import date, timedelta


def add_arrivals(count: int, tag: str) -> int:
    """Store `count` arrivals for distinct people, officer `petugas`; how many arrivals exist now."""
    from accounts.models import User
    from regions.models import Region
    from travellers.models import Arrival, Person, TravelStop

    from .payload import arrival_payload

    officer = User.objects.get(username="petugas")
    regions = Region.objects.in_bulk(
        ["13.71.01.1002", "13.71.01.1001", "13.71.02.1001", "15.71", "14.71", "12.71", "31.71"], field_name="code"
    )
    offset = {"A": 0, "B": 100_000, "C": 200_000}.get(tag, 300_000)
    for i in range(offset, offset + count):
        data = arrival_payload(i)
        person = Person.objects.create(
            id_number=data["id_number"],
            name=f"{data['name']} {tag}",
            sex=data["sex"],
            birth_date=date.fromisoformat(data["birth_date"]),
        )
        arrival = Arrival.objects.create(
            entry_key=uuid.uuid4(),
            person=person,
            checkpoint=officer.checkpoint,
            officer=officer,
            origin=regions[data["origin"]],
            destination=regions[data["destination"]],
            destination_address=data["destination_address"],
            purpose=data["purpose"],
            transport=data["transport"],
            plate=data["plate"],
            temperature=data["temperature"],
            symptoms=["batuk"] if i % 7 == 0 else [],
        )
        TravelStop.objects.create(
            arrival=arrival,
            region=regions["15.71"],
            date_from=date.today() - timedelta(5),
            date_to=date.today() - timedelta(2),
        )
    return Arrival.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--tag", default="A")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipantau.settings")
    import django

    django.setup()
    print(add_arrivals(args.count, args.tag))


if __name__ == "__main__":
    main()
