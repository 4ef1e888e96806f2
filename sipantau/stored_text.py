"""Texts SIPANTAU stored in one language (travellers' row reports and corrections), shown in the reader's.

The follow-up stores its texts as a code with values instead (followup/texts.py).

A stored text that is one of the interface's own messages, in any language, with its values
("Datang dari luar provinsi (Kota Jambi)."), is shown as that message in the active language
with the same values. Anything a person typed is shown as it was typed.
"""

import re
from functools import lru_cache

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

register = template.Library()
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _pattern(text):
    """A regex matching `text` with each placeholder as a named group (None when a name repeats)."""
    names = _PLACEHOLDER.findall(text)
    if len(names) != len(set(names)) or len(re.findall(r"[^\W\d_]", _PLACEHOLDER.sub("", text))) < 4:
        return None  # a repeated name, or too little wording of its own ("%(a)s %(b)s") to recognise it
    parts = _PLACEHOLDER.split(text)  # literal, name, literal, name, …, literal
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
    return re.compile(regex + r"\Z", re.S)


@lru_cache
def _catalogue():
    """({text in any language: msgid}, [(pattern, msgid)]) over every message with a translation."""
    exact, patterns = {}, []
    for language, _name in settings.LANGUAGES:
        catalog = trans_real.translation(language)._catalog
        for msgid, text in catalog.items():
            if not isinstance(msgid, str) or not msgid:
                continue  # plural forms are never stored
            for known in {msgid, text}:
                if _PLACEHOLDER.search(known):
                    pattern = _pattern(known)
                    if pattern is not None:
                        patterns.append((pattern, msgid))
                else:
                    exact.setdefault(known, msgid)
    patterns.sort(key=lambda item: len(item[0].pattern), reverse=True)  # the most specific first
    return exact, patterns


def in_reader_language(text):
    """`text` in the active language when it is one of the interface's messages; else unchanged."""
    if not text or not isinstance(text, str):
        return text
    exact, patterns = _catalogue()
    if text in exact:
        return translation.gettext(exact[text])
    for pattern, msgid in patterns:
        match = pattern.match(text)
        if match:
            # The values come back as text: "%(count)d" takes them as "%(count)s".
            target = re.sub(r"%\((\w+)\)d", r"%(\1)s", translation.gettext(msgid))
            try:
                return target % match.groupdict()
            except (KeyError, ValueError, TypeError):
                return text  # a translation that names other values: show the text as stored
    label, sep, rest = text.partition(": ")  # a row report's "column: message"
    if sep and rest and in_reader_language(rest) != rest:
        return f"{label}{sep}{in_reader_language(rest)}"
    return text


@register.filter
def reader_language(text):
    """A stored text in the reader's language (see sipantau.stored_text)."""
    return in_reader_language(text)
