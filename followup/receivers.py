"""Follow-up's answers to what travellers announces (travellers/signals.py), connected in apps.py."""

from . import services


def open_follow_up(sender, *, arrival, **kwargs):
    """A new arrival: open (or restart) the isolation order the rule asks for."""
    services.arrival_follow_up_open(arrival=arrival)


def correct_follow_up(sender, *, arrival, change, **kwargs):
    """A corrected entry: move its orders and reports, and follow a corrected rule."""
    services.arrival_follow_up_correct(arrival=arrival, change=change)
