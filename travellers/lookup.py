"""The officers' look-up of a returning traveller: what it answers, how often, and when it alerts.

An officer types a NIK; if the traveller entered before, the form's own identity fields are
pre-filled (name, sex, birth date, nationality) so a returning traveller is entered faster and
spelled the same. Nothing else: no phone, no address or home region (asked afresh at each
crossing, they change), no arrivals at other posts or on other days. docs/entry.md and
SECURITY.md say why; monitoring/tests/test_access_matrix.py pins the answer for every role.

Enumerating NIKs through it is kept impractical by limits sized to a post's pace, per officer
and per post, and by an alert when an officer looks up far more people than they enter.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import AuditEvent
from accounts.ratelimit import once_per_window, rate_limit_hit, rate_limited_response, window_count

from .models import Arrival

logger = logging.getLogger("sipantau.security")

MINUTE, HOUR, DAY = 60, 60 * 60, 24 * 60 * 60

# (scope, whose count, setting, window). The per-officer minute is the original limit's scope.
LIMITS = [
    ("person_lookup", "officer", "SIPANTAU_RATE_LIMIT_PERSON_LOOKUP", MINUTE),
    ("person_lookup_hour", "officer", "SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_HOUR", HOUR),
    ("person_lookup_day", "officer", "SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_DAY", DAY),
    ("person_lookup_post", "post", "SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_POST", MINUTE),
    ("person_lookup_post_hour", "post", "SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_POST_HOUR", HOUR),
    ("person_lookup_post_day", "post", "SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_POST_DAY", DAY),
]

# The fields of the entry form a returning traveller's earlier entry may fill in.
PREFILL_FIELDS = ("name", "sex", "birth_date", "nationality")


def lookup_refusal(request):
    """A 429 when the officer or their post has looked up too many travellers in a window, else None.

    The entry never depends on the look-up (the form works without it), so a refusal only means
    typing the name by hand.
    """
    user = request.user
    for scope, whose, setting, window in LIMITS:
        limit = getattr(settings, setting)
        key = f"post-{user.checkpoint_id}" if whose == "post" else str(user.pk)
        if window == MINUTE:
            over = rate_limit_hit(scope=scope, key=key, limit=limit)
        else:
            over = window_count(scope=scope, key=key, window=window) > limit
        if over:
            message = {
                MINUTE: _("Terlalu banyak permintaan dalam satu menit. Tunggu sebentar, lalu coba lagi."),
                HOUR: _("Pencarian NIK dari akun atau posko ini melewati batas satu jam. Isi data secara manual."),
                DAY: _("Pencarian NIK dari akun atau posko ini melewati batas satu hari. Isi data secara manual."),
            }[window]
            return rate_limited_response(request, scope=scope, key=key, json=True, window=window, message=message)
    return None


def lookup_answer(person, user) -> dict:
    """What the entry form may pre-fill for `person`, and `user`'s own entries of them today."""
    if person is None:
        return {"found": False}
    mine = Arrival.objects.visible_to(user).filter(person=person).select_related("checkpoint", "destination")
    return {
        "found": True,
        "person": {
            "name": person.name,
            "sex": person.sex,
            "birth_date": person.birth_date.isoformat() if person.birth_date else "",
            "nationality": person.nationality,
        },
        # Only what the officer already sees on the post's list of today: a second entry of the
        # same traveller today is then noticed before it is saved.
        "arrivals": [
            {
                "arrived_at": timezone.localtime(a.arrived_at).strftime("%d-%m-%Y %H:%M"),
                "checkpoint": str(a.checkpoint),
                "destination": str(a.destination),
            }
            for a in mine.order_by("-arrived_at")[:5]
        ],
    }


def lookup_watch(request, *, found: bool) -> None:
    """Alert once an hour when an officer looks up many more travellers than they enter.

    At a post each look-up is followed by an entry (a returning traveller, or a new one after a
    miss); look-ups without entries are what enumerating NIKs looks like. The alert is an audit
    record (action "alert", on the admin's audit list) and a WARNING on the sipantau.security log.
    """
    user = request.user
    looked_up = window_count(scope="person_lookup_seen", key=str(user.pk), window=HOUR)
    misses = window_count(scope="person_lookup_miss", key=str(user.pk), window=HOUR, delta=0 if found else 1)
    threshold = settings.SIPANTAU_LOOKUP_ALERT_UNMATCHED
    if looked_up < threshold:
        return
    now = timezone.now()
    entered = Arrival.objects.filter(
        checkpoint_id=user.checkpoint_id,
        officer=user,
        arrived_at__gte=now - timedelta(days=1),  # the post-and-time index; created_at decides
        created_at__gte=now - timedelta(hours=1),
    ).count()
    if looked_up - entered < threshold:
        return
    if not once_per_window(scope="person_lookup_alert", key=str(user.pk), window=HOUR):
        return  # already alerted this hour
    detail = {
        "alert": "person_lookup_unmatched",
        "lookups": looked_up,
        "misses": misses,
        "entries": entered,
        "checkpoint": user.checkpoint_id,
    }
    audit_record(
        request=request,
        action=AuditEvent.Action.ALERT,
        object_type="accounts.user",
        object_id=str(user.pk),
        detail=detail,
    )
    logger.warning(
        "Person look-ups without entries: user %s at checkpoint %s looked up %s travellers (%s not found) "
        "and entered %s in the last hour",
        user.pk,
        user.checkpoint_id,
        looked_up,
        misses,
        entered,
    )
