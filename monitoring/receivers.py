"""Monitoring's answers to what travellers announces (travellers/signals.py), connected in apps.py."""

from . import tallies


def tally_late_arrival(sender, *, arrivals, **kwargs):
    """New arrivals on days already tallied are added to the tally (with their isolation orders, if any)."""
    tallies.arrivals_late_tallied(arrivals=arrivals)
