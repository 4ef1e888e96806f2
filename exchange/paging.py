"""Keyset pages for sync: an opaque cursor over (change time, id), a `since` floor, a page size.

Rows come in ascending (changed_at, id). A cursor names the last row a client received; the next
page holds the rows strictly after it, so rows added meanwhile (with a later change time) land at
the end and never shift a page. The cursor is signed (django.core.signing) and bound to its
endpoint, so a tampered or borrowed cursor is refused with 400 rather than read.

Rows changed in the last SIPANTAU_EXCHANGE_SETTLE_SECONDS are held back: a transaction still
open while a page was read commits with its earlier time, and would otherwise fall behind a
cursor that had already passed it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_CURSOR_LENGTH = 300
MAX_SINCE_LENGTH = 40


class BadParameter(Exception):
    """A query parameter the API cannot use: answered 400 with `field` and `message`."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class Position:
    changed_at: datetime
    id: int


@dataclass(frozen=True)
class PageRequest:
    kind: str
    since: datetime | None
    after: Position | None
    limit: int


def parse_limit(value) -> int:
    if value in (None, ""):
        return DEFAULT_LIMIT
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise BadParameter("limit", _("limit harus bilangan bulat 1 sampai %(max)d.") % {"max": MAX_LIMIT})
    limit = int(text)
    if not 1 <= limit <= MAX_LIMIT:
        raise BadParameter("limit", _("limit harus bilangan bulat 1 sampai %(max)d.") % {"max": MAX_LIMIT})
    return limit


def parse_since(value) -> datetime | None:
    if value in (None, ""):
        return None
    message = _("since harus waktu ISO 8601 dengan zona waktu, mis. 2026-11-25T09:00:00+07:00.")
    text = str(value).strip()
    if len(text) > MAX_SINCE_LENGTH or not text.isascii():
        raise BadParameter("since", message)
    try:
        moment = parse_datetime(text)
    except ValueError:  # well formed but impossible: month 13, hour 25
        moment = None
    if moment is None or timezone.is_naive(moment):
        raise BadParameter("since", message)
    try:
        moment.astimezone(UTC)  # an offset that lands outside the calendar (year 1, -23:59)
    except (OverflowError, ValueError):
        raise BadParameter("since", message) from None
    return moment


def _signer(kind):
    return signing.TimestampSigner(salt=f"exchange.cursor.{kind}")


def make_cursor(kind: str, position: Position) -> str:
    """The opaque cursor after `position` on endpoint `kind`."""
    value = f"{position.changed_at.astimezone(UTC).isoformat()}|{position.id}"
    return signing.b64_encode(_signer(kind).sign(value).encode()).decode()


def parse_cursor(kind: str, value) -> Position | None:
    if value in (None, ""):
        return None
    message = _("cursor tidak dikenali: pakai nilai next_cursor dari jawaban sebelumnya pada alamat yang sama.")
    text = str(value).strip()
    if len(text) > MAX_CURSOR_LENGTH or not text.isascii():
        raise BadParameter("cursor", message)
    try:
        signed = signing.b64_decode(text.encode()).decode()
        moment, pk = _signer(kind).unsign(signed).rsplit("|", 1)
        return Position(changed_at=datetime.fromisoformat(moment), id=int(pk))
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        raise BadParameter("cursor", message) from None


def page_request(kind: str, *, since=None, cursor=None, limit=None) -> PageRequest:
    """The parsed query; BadParameter names the first parameter that cannot be used."""
    return PageRequest(kind=kind, since=parse_since(since), after=parse_cursor(kind, cursor), limit=parse_limit(limit))


def keyset_page(queryset, request: PageRequest, field="changed_at"):
    """(rows, next_position) for `queryset`, whose `field` is the change time, after the request's cursor."""
    settled = timezone.now() - timedelta(seconds=settings.SIPANTAU_EXCHANGE_SETTLE_SECONDS)
    queryset = queryset.filter(**{f"{field}__lte": settled})
    if request.since is not None:
        queryset = queryset.filter(**{f"{field}__gte": request.since})
    if request.after is not None:
        after = request.after
        queryset = queryset.filter(
            Q(**{f"{field}__gt": after.changed_at}) | Q(**{field: after.changed_at, "pk__gt": after.id})
        )
    rows = list(queryset.order_by(field, "pk")[: request.limit + 1])
    more = len(rows) > request.limit
    rows = rows[: request.limit]
    last = Position(getattr(rows[-1], field), rows[-1].pk) if rows else request.after
    return rows, last, more
