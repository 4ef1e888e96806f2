"""Follow-up's answers to what travellers announces (travellers/signals.py), connected in apps.py."""

from . import services


def decide_isolation(sender, *, arrival, travel_stops, **kwargs):
    """An arrival about to be stored: whether the rule asks it to self-isolate."""
    services.arrival_isolation_decide(arrival=arrival, travel_stops=travel_stops)


def decide_isolations(sender, *, arrivals, travel_stops, **kwargs):
    """Arrivals about to be stored together (a paper import's chunk): whether the rule asks each to self-isolate."""
    services.arrivals_isolation_decide(arrivals=arrivals, travel_stops=travel_stops)


def open_follow_up(sender, *, arrivals, new_persons=frozenset(), **kwargs):
    """New arrivals: open (or restart) the isolation orders the rule asks for."""
    services.arrivals_follow_up_open(arrivals=arrivals, new_persons=new_persons)


def correct_follow_up(sender, *, arrival, change, **kwargs):
    """A corrected entry: move its orders and reports, and follow a corrected rule."""
    services.arrival_follow_up_correct(arrival=arrival, change=change)
