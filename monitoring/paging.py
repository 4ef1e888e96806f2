"""Keyset pagination over (-arrived_at, -id): page 1,000 costs what page 1 costs."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q

PAGE_SIZE = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def cursor_for(arrival) -> str:
    """An opaque, URL-safe position: arrival time in microseconds and id (of an Arrival or its values())."""
    at, pk = (arrival["arrived_at"], arrival["id"]) if isinstance(arrival, dict) else (arrival.arrived_at, arrival.pk)
    micros = (at - EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{pk}"


def parse_cursor(value: str):
    """(arrived_at, id) from a cursor, or None when it is not one."""
    micros, _, pk = (value or "").partition(".")
    if not (micros.lstrip("-").isdigit() and pk.isdigit()) or len(value) > 40:
        return None
    try:
        return EPOCH + timedelta(microseconds=int(micros)), int(pk)
    except OverflowError:
        return None


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    prev_cursor: str | None
    is_first: bool


def keyset_page(arrivals, *, after=None, before=None, size=PAGE_SIZE) -> Page:
    """The page of `arrivals` after (older than) or before (newer than) a parsed cursor."""
    if before is not None:
        at, pk = before
        # The plain bound (>= at) lets PostgreSQL range-scan the (arrived_at, id) index; the OR refines it.
        newer = Q(arrived_at__gte=at) & (Q(arrived_at__gt=at) | Q(arrived_at=at, pk__gt=pk))
        rows = list(arrivals.filter(newer).order_by("arrived_at", "id")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        return Page(
            rows,
            next_cursor=cursor_for(rows[-1]) if rows else None,
            prev_cursor=cursor_for(rows[0]) if rows and more_newer else None,
            is_first=not more_newer,
        )
    if after is not None:
        at, pk = after
        arrivals = arrivals.filter(Q(arrived_at__lte=at) & (Q(arrived_at__lt=at) | Q(arrived_at=at, pk__lt=pk)))
    rows = list(arrivals.order_by("-arrived_at", "-id")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return Page(
        rows,
        next_cursor=cursor_for(rows[-1]) if more_older else None,
        prev_cursor=cursor_for(rows[0]) if after is not None and rows else None,
        is_first=after is None,
    )
