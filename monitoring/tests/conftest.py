"""The follow-up's fixtures (followup/tests/conftest.py), for the monitoring pages that show follow-up state."""

from followup.tests.conftest import NOW, WIB, clock, order, register, team  # noqa: F401
