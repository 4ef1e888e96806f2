"""What an account may reach: the one place that decides scope. Deny by default.

An account reaches one of four things:

- nothing (anonymous, inactive, no role, or a role without the permission asked for);
- everything (superusers: the admins of the whole system);
- its post's entries of today (a checkpoint officer);
- the regions of its jurisdictions, by region code (everyone else).

Every model's ``visible_to`` is a one-liner over :func:`scope`; no other code decides scope or
tests ``is_superuser``. Containment is a code prefix (``regions.models.code_within``).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from regions.models import Region, code_within, code_within_columns

VIEW_ARRIVALS = "accounts.view_arrivals"
NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Reach:
    everything: bool = False
    codes: tuple[str, ...] = ()
    checkpoint_id: int | None = None  # an officer's post: its entries of today

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.codes and self.checkpoint_id is None


NOBODY = Reach()


def reach(user, perm: str | None = VIEW_ARRIVALS) -> Reach:
    """What `user` reaches when the view at hand needs `perm` (None: the jurisdiction alone)."""
    if not _signed_in(user):
        return NOBODY
    if sees_everything(user):
        return Reach(everything=True)
    if not user.role:
        return NOBODY
    if user.is_officer:
        return Reach(checkpoint_id=user.checkpoint_id)
    if perm is not None and not user.has_perm(perm):
        return NOBODY
    return Reach(codes=tuple(user.jurisdiction_codes()))


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def sees_everything(user) -> bool:
    """Whether `user` is an admin of the whole system (every region, every record)."""
    return _signed_in(user) and user.is_superuser


def top_codes(user) -> list[str]:
    """The codes an overview starts from: the user's jurisdictions, or the home province for admins."""
    found = reach(user, perm=None)
    return [settings.SIPANTAU_PROVINCE] if found.everything else list(found.codes)


def region_q(user, field: str, perm: str | None = VIEW_ARRIVALS) -> Q:
    """Q for rows whose region code in `field` lies within what `user` reaches by region."""
    found = reach(user, perm)
    if found.everything:
        return Q()
    return code_within(field, found.codes) if found.codes else NOTHING


def local_midnight(day):
    """The start of `day` where the posts are (TIME_ZONE, WIB), as an aware datetime.

    The one local-day rule: an officer's "today", a list's date range, a tally's day.
    """
    return timezone.make_aware(datetime.combine(day, time.min))


def local_day_bounds(day=None):
    """Start and end of `day` (today) in WIB (TIME_ZONE), as aware datetimes."""
    start = local_midnight(day or timezone.localdate())
    return start, local_midnight(start.date() + timedelta(days=1))


def scope(
    queryset,
    user,
    field: str,
    *,
    perm: str | None = VIEW_ARRIVALS,
    post: tuple[str, str] | None = None,
    columns: dict[int, str] | None = None,
):
    """`queryset` narrowed to what `user` reaches: rows whose region code in `field` lies within
    their jurisdictions. `post` names the (checkpoint, time) fields of rows an officer reaches at
    their post on the current day; without it officers reach nothing here. `columns` names the
    fields that store the code of `field` cut at a level (level → field): a jurisdiction of that
    level is then an equality on its column (``regions.models.code_within_columns``), which an
    index on (column, time) walks newest first."""
    found = reach(user, perm)
    if found.everything:
        return queryset
    if found.checkpoint_id is not None and post is not None:
        checkpoint_field, at_field = post
        start, end = local_day_bounds()
        return queryset.filter(
            **{checkpoint_field: found.checkpoint_id, f"{at_field}__gte": start, f"{at_field}__lt": end}
        )
    if not found.codes:
        return queryset.none()
    return queryset.filter(code_within_columns(field, found.codes, columns or {}))


# Kept for callers that build a Q rather than narrow a QuerySet.
def jurisdiction_q(user, field: str) -> Q:
    """Q for rows whose region code in `field` lies within `user`'s jurisdictions (no permission asked)."""
    return region_q(user, field, perm=None)


# ------------------------------------------------------------------------------
# Remembered per login: permissions and jurisdiction codes are worked out once per session and
# reused until an admin changes them (User.access_version, raised by accounts/receivers.py).
# ------------------------------------------------------------------------------
SESSION_KEY = "_sipantau_access"


def remember(request, user=None) -> None:
    """Give the request's user its permissions and jurisdiction codes from the session, or work
    them out and keep them there. The user row, read on every request, carries the version to trust."""
    user = user or request.user
    if not _signed_in(user) or user.is_superuser:
        return
    kept = request.session.get(SESSION_KEY)
    if kept and kept.get("user") == user.pk and kept.get("version") == user.access_version:
        user._perm_cache = set(kept["perms"])
        user._jurisdiction_codes = list(kept["codes"])
        user._reach_words = dict(kept.get("words", {}))
        return
    user.reach_display()  # the header's words, in the language of the moment, kept with the rest
    request.session[SESSION_KEY] = {
        "user": user.pk,
        "version": user.access_version,
        "perms": sorted(user.get_all_permissions()),
        "codes": user.jurisdiction_codes(),
        "words": dict(user._reach_words),
    }


def remember_words(request) -> None:
    """Keep the header's "where this account reaches" once worked out, with the session's access."""
    user = getattr(request, "user", None)
    kept = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if user is None or not kept or not user.is_authenticated or kept.get("user") != user.pk:
        return
    words = getattr(user, "_reach_words", None)
    if words and words != kept.get("words"):
        request.session[SESSION_KEY] = {**kept, "words": dict(words)}


def regions_visible_to(user):
    """Regions within `user`'s jurisdictions (all of them for admins): what area filters may name.

    Here rather than as ``Region.objects.visible_to``: regions sit below accounts and never import it.
    """
    return scope(Region.objects.all(), user, "code", perm=None)
