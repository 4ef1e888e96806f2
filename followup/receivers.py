"""Follow-up's answers to what travellers announces (travellers/signals.py), connected in apps.py."""

from . import services


def open_follow_up(sender, *, arrivals, **kwargs):
    """New arrivals: open (or restart) the isolation orders the rule asks for."""
    services.arrivals_follow_up_open(arrivals=arrivals)


def correct_follow_up(sender, *, arrival, change, **kwargs):
    """A corrected entry: move its orders and reports, and follow a corrected rule."""
    services.arrival_follow_up_correct(arrival=arrival, change=change)
