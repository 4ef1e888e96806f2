"""Keep personal data out of application logs and stop input from forging log lines."""

import logging
import re

# A NIK is 16 digits (any script's digits: \d is Unicode-aware), possibly spaced or dotted.
NIK_LIKE = re.compile(r"(?<!\d)\d(?:[ .\-]?\d){15}(?!\d)")
# Indonesian mobile numbers: +62 8…, 62 8…, 08…, 9 to 13 digits after the prefix.
PHONE_LIKE = re.compile(r"(?<![\d+])(?:\+62|62|0)[ \-.]?8(?:[ \-.]?\d){7,12}(?!\d)")
# Every character that some viewer treats as a line break, and other control characters.
LINE_BREAKS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")
# Structured arguments and `extra` fields that hold a person's identity.
PERSONAL_KEYS = frozenset(
    {
        "name",
        "nama",
        "full_name",
        "first_name",
        "last_name",
        "person",
        "phone",
        "nik",
        "id_number",
        "address",
        "home_address",
        "destination_address",
        "birth_date",
    }
)
MASK = "[disamarkan]"
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__)
_FORMATTER = logging.Formatter()


def _escape(match):
    return match.group().encode("unicode_escape").decode("ascii")


def mask(text):
    """`text` with NIK-like and phone-like numbers masked."""
    return PHONE_LIKE.sub("[HP]", NIK_LIKE.sub("[NIK]", text))


def scrub(text):
    """`text` masked, with line breaks and control characters escaped: always one line."""
    return LINE_BREAKS.sub(_escape, mask(text))


class PersonalDataFilter(logging.Filter):
    """Masks NIKs, phone numbers and personal fields in a record, then flattens it to one line."""

    def filter(self, record):
        args = record.args
        if isinstance(args, dict):
            record.args = {k: (MASK if k in PERSONAL_KEYS else v) for k, v in args.items()}
        for key in (PERSONAL_KEYS - _STANDARD) & record.__dict__.keys():
            setattr(record, key, MASK)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call must still leave a line, not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            # A traceback keeps its own lines, but not the numbers its messages quote.
            record.exc_text = mask(_FORMATTER.formatException(record.exc_info))
        return True
