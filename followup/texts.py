"""Texts the follow-up writes on its rows (isolation grounds, history notes), stored as a code with
its parameters and put into words on read, in the reader's language, as the admin's
LogEntry.get_change_message does. What a person typed is stored, and shown, as typed.
"""

from django.utils.translation import gettext, gettext_noop

# code -> message; a code is stored on rows, so it never changes meaning (add a new one instead).
MESSAGES = {
    # The isolation rule's grounds (IsolationOrder.reason_code, and the "opened" event's note).
    "outside": gettext_noop("Datang dari luar provinsi (%(origin)s)."),
    "flagged_origin": gettext_noop("Datang dari wilayah berisiko %(region)s."),
    "flagged_stop": gettext_noop("Singgah di wilayah berisiko %(region)s (%(from)s–%(to)s)."),
    # History notes the system writes (IsolationEvent.note_code).
    "restarted": gettext_noop("Masuk kembali %(date)s; selesai %(old)s menjadi %(new)s."),
    "destination": gettext_noop("Tujuan: %(old)s → %(new)s."),
    "rule_lifted": gettext_noop("Koreksi data posko: aturan isolasi tidak berlaku lagi."),
    "period": gettext_noop("%(old)s → %(new)s hari: %(reason)s"),
}


def in_words(code, params, typed=""):
    """The message `code` with `params` in the active language; `typed` when there is no code."""
    if not code:
        return typed
    message = MESSAGES.get(code)
    if message is None:  # a code from a later version, read by an older one
        return typed or code
    return gettext(message) % (params or {})
