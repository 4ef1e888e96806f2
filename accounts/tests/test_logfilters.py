"""Application logs carry no NIK, phone number or name, and input cannot forge a log line."""

import io
import logging

import pytest

from accounts.logfilters import PersonalDataFilter

NIK = "1371015705900001"


@pytest.fixture
def log_output():
    """What the project's console handler (from settings.LOGGING) writes, captured."""
    root = logging.getLogger()
    handler = next(h for h in root.handlers if any(isinstance(f, PersonalDataFilter) for f in h.filters))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def lines(stream):
    return stream.getvalue().splitlines()


def test_the_filter_is_wired_into_the_console_handler(log_output):
    logging.getLogger("travellers.views").warning("NIK %s tidak ditemukan", NIK)
    assert NIK not in log_output.getvalue()
    assert "NIK [NIK] tidak ditemukan" in log_output.getvalue()


@pytest.mark.parametrize(
    "nik",
    [NIK, "1371 0157 0590 0001", "1371.0157.0590.0001", "١٣٧١٠١٥٧٠٥٩٠٠٠٠١"],  # spaced, dotted, Arabic-Indic digits
)
def test_nik_like_numbers_are_masked_in_any_form(log_output, nik):
    logging.getLogger("sipantau").info(f"search q={nik}")
    assert lines(log_output)[-1].endswith("search q=[NIK]")


@pytest.mark.parametrize("phone", ["081234567890", "+6281234567890", "62 812-3456-7890", "0812 3456 789"])
def test_phone_numbers_are_masked(log_output, phone):
    logging.getLogger("sipantau").info("kontak %s", phone)
    assert lines(log_output)[-1].endswith("kontak [HP]")


def test_names_passed_as_structured_args_or_extra_are_masked(log_output):
    log = logging.getLogger("sipantau")
    log.info("pelaku %(name)s dari %(origin)s", {"name": "Budi Santoso", "origin": "Jambi"})
    log.info("arrival saved", extra={"nama": "Siti Aminah", "arrival_id": 7})
    text = log_output.getvalue()
    assert "Budi Santoso" not in text and "pelaku [disamarkan] dari Jambi" in text
    assert "Siti Aminah" not in text


def test_newlines_in_input_cannot_forge_a_line(log_output):
    forged = "budi\n2026-11-25 10:00:00,000 INFO accounts login ok admin\r\u2028x"
    logging.getLogger("sipantau").warning("login gagal untuk %s", forged)
    written = lines(log_output)
    assert len(written) == 1
    assert "budi\\n2026-11-25" in written[0] and "\\r" in written[0] and "\\u2028" in written[0]


def test_tracebacks_keep_their_lines_but_lose_the_numbers(log_output):
    try:
        raise ValueError(f"NIK {NIK} tidak valid")
    except ValueError:
        logging.getLogger("sipantau").exception("gagal menyimpan")
    text = log_output.getvalue()
    assert NIK not in text and "ValueError: NIK [NIK] tidak valid" in text
    assert text.count("\n") > 2  # the traceback is still readable


def test_ordinary_numbers_are_left_alone(log_output):
    logging.getLogger("sipantau").info("%d kedatangan, posko 13.71, id 123456789012345", 42)
    assert lines(log_output)[-1].endswith("42 kedatangan, posko 13.71, id 123456789012345")


def test_gunicorn_access_log_leaves_out_query_strings_and_referrers():
    import runpy

    from django.conf import settings

    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    fmt = config["access_log_format"]
    assert "%(U)s" in fmt  # the path alone
    for leaky in ["%(r)s", "%(q)s", "%(f)s"]:  # request line with query, query, referrer
        assert leaky not in fmt
