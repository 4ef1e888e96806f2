"""Monitoring's answers to what travellers announces (travellers/signals.py), connected in apps.py."""

from . import tallies


def tally_late_arrival(sender, *, arrival, **kwargs):
    """A new arrival on a day already tallied is added to the tally (with its isolation order, if any)."""
    tallies.arrival_late_tallied(arrival=arrival)
