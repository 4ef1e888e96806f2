"""The English catalogue: every Indonesian text extracted, translated, and compiled into the committed .mo."""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(settings.BASE_DIR) / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# The extraction bin/messages runs; tests, benchmarks and drills hold no interface text.
MAKEMESSAGES_OPTIONS = {
    "ignore_patterns": [".venv", "node_modules", "staticfiles", "test-artifacts", "static/vendor"]
    + ["*/tests/*", "tests", "bench", "drills"],
    "add_location": "file",
    "no_obsolete": True,
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def catalogue(path):
    """{(context, msgid): translations} of a .po or .mo file, plural forms as a tuple."""
    entries = polib.mofile(str(path)) if path.suffix == ".mo" else polib.pofile(str(path))
    return {
        (e.msgctxt, e.msgid): tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural)) if e.msgid_plural else e.msgstr
        for e in entries
        if e.msgid and not e.obsolete and "fuzzy" not in e.flags
    }


def test_every_text_is_translated_and_nothing_is_fuzzy():
    po = polib.pofile(str(PO))
    assert len(po) > 500  # the whole interface, not a sample
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []
    assert not po.metadata_is_fuzzy and "nplurals=2" in po.metadata["Plural-Forms"]


def test_translations_keep_every_placeholder():
    wrong = []
    for entry in polib.pofile(str(PO)):
        if entry.msgid_plural:
            # The singular may leave out the count ("Saved: %(names)s"), never add a name it lacks.
            singular, plural = entry.msgstr_plural[0], entry.msgstr_plural[1]
            pairs = [(entry.msgid_plural, plural), (entry.msgid, singular)]
            if not set(PLACEHOLDER.findall(singular)) <= set(PLACEHOLDER.findall(entry.msgid_plural)):
                wrong.append((entry.msgid, singular))
            if set(PLACEHOLDER.findall(entry.msgid_plural)) != set(PLACEHOLDER.findall(plural)):
                wrong.append((entry.msgid_plural, plural))
        else:
            pairs = [(entry.msgid, entry.msgstr)]
            if set(PLACEHOLDER.findall(entry.msgid)) != set(PLACEHOLDER.findall(entry.msgstr)):
                wrong.append((entry.msgid, entry.msgstr))
        for source, text in pairs:
            if source.startswith(" ") != text.startswith(" "):  # indented lines of the digest e-mail
                wrong.append((source, text))
    assert wrong == []


def test_the_committed_mo_is_the_compiled_po():
    """A .mo left behind after editing the .po would serve old English: it must hold exactly the .po."""
    assert catalogue(MO) == catalogue(PO)


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (apt-get install gettext)")
def test_every_wrapped_text_in_the_code_is_in_the_catalogue(tmp_path, settings, monkeypatch):
    """Extract the texts as bin/messages does, into a copy: a new or changed text not in the .po fails."""
    monkeypatch.chdir(settings.BASE_DIR)
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE, copy)
    settings.LOCALE_PATHS = [copy]
    call_command("makemessages", locale=["en"], verbosity=0, **MAKEMESSAGES_OPTIONS)
    extracted = polib.pofile(str(copy / "en" / "LC_MESSAGES" / "django.po"))
    missing = sorted(e.msgid for e in extracted if not e.obsolete and (not e.translated() or "fuzzy" in e.flags))
    assert missing == [], "Run bin/messages and translate these in locale/en/LC_MESSAGES/django.po"
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO))}
    assert {(e.msgctxt, e.msgid) for e in extracted if not e.obsolete} == committed
