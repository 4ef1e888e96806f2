"""Practice mode ("Latihan"): officers and village teams train on real phones, with nothing
reaching real lists. docs/practice.md says why a flag and not a separate schema.

Every record people create in real work carries a ``practice`` flag (`practice_field`), and the
default manager of each such model (`PracticeManager`) sees only the rows of the current mode.
The mode lives in a context variable: False unless `PracticeMiddleware` finds practice switched
on in the session of someone who does real work (a role, not an admin, not a system account).
So every list, count, export, digest, dispatch command and the exchange API, which run in the
default mode, see only real rows; and a page in practice mode sees only practice rows, still
narrowed by the access gate (access.scope) like real ones. New rows take the mode in which they
are made (the field's default), bulk writes included.

Related rows reached only through their parent (travel stops, change and event histories, an
audit event's people) carry no flag: they go with their parent, and are deleted with it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role

SESSION_KEY = "_sipantau_practice"
# The roles of people who do the real work; other systems' accounts (exchange API) never practise.
PEOPLE_ROLES = set(Role) - {Role.SYSTEM, Role.SYSTEM_NIK}

_mode: ContextVar[bool] = ContextVar("sipantau_practice", default=False)


def active() -> bool:
    """Whether the work at hand is practice (the default of every practice field)."""
    return _mode.get()


@contextmanager
def mode(on: bool):
    """Run the block in practice mode (True) or in real mode (False), then go back."""
    token = _mode.set(bool(on))
    try:
        yield
    finally:
        _mode.reset(token)


def allowed(user) -> bool:
    """Whether `user` may switch practice on: a signed-in person with a role (not an admin, not an API client)."""
    if user is None or not user.is_authenticated or not user.is_active or user.is_superuser:
        return False
    return getattr(user, "role", "") in PEOPLE_ROLES


def requested(request) -> bool:
    """Whether `request` runs in practice mode: switched on in its session, by someone allowed to."""
    if request.headers.get("Authorization"):  # a system's call (exchange API token): always real
        return False
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(SESSION_KEY)) and allowed(getattr(request, "user", None))


def practice_field(default=active):
    """The flag of a record made in real work: the mode it was made in (by default), never edited."""
    return models.BooleanField(_("data latihan"), default=default, db_default=False, db_index=True, editable=False)


class PracticeManager(models.Manager):
    """The rows of the current mode only (the default manager of every flagged model)."""

    def get_queryset(self):
        return super().get_queryset().filter(practice=active())


class RealOnlyManager(models.Manager):
    """Tallies count real work only; in practice mode there are none (practice is counted live)."""

    def get_queryset(self):
        found = super().get_queryset()
        return found.none() if active() else found


def manager(queryset_class=models.QuerySet):
    """A default manager over `queryset_class` that sees the current mode's rows only."""
    return PracticeManager.from_queryset(queryset_class)()


class PracticeMiddleware:
    """Run each request in the mode its session asks for (real, unless switched on and allowed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        on = requested(request)
        request.practice = on
        with mode(on):
            response = self.get_response(request)
        if on and response.streaming:
            # An export is written after the view has returned: its reads run in the mode too.
            response.streaming_content = _in_mode(response.streaming_content, on)
        return response


def _in_mode(content, on):
    """`content`'s pieces, each made in mode `on` (and the mode set back before each is handed on)."""
    pieces = iter(content)
    while True:
        with mode(on):
            piece = next(pieces, None)
        if piece is None:
            return
        yield piece


def context(request):
    """Template context: whether this page is in practice mode and whether its switch is shown."""
    user = getattr(request, "user", None)
    return {
        "practice_on": getattr(request, "practice", False),
        "practice_allowed": allowed(user),
    }
