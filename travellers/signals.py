"""What travellers announces, for later apps to act on (connected in their AppConfig.ready()).

Both are sent inside the service's transaction with `send()`, not `send_robust()`: a receiver's
error undoes the entry or the correction, as contrib.auth's `user_logged_in` receivers can
refuse a login. Receivers run in the order they were connected, which is the order of
INSTALLED_APPS (followup before monitoring).
"""

from django.dispatch import Signal

# A new arrival about to be stored, its person found or made (arrival_register only):
# arrival_registering.send(sender=Arrival, arrival=..., travel_stops=[TravelStop, …]). Receivers may
# set the arrival's fields, which its one INSERT then stores (followup: isolation_required).
arrival_registering = Signal()

# The new arrivals of a paper import's chunk about to be stored together, their persons found or
# made: arrivals_registering.send(sender=Arrival, arrivals=[...], travel_stops=[[TravelStop, …], …])
# (each arrival's stops, in the same order). What arrival_registering is to one entry, set-based.
arrivals_registering = Signal()

# Newly stored arrivals (not an entry_key answered again): an entry's one, or a paper import's
# chunk at once, so that receivers work set-based:
# arrivals_registered.send(sender=Arrival, arrivals=[...], new_persons={person ids}). `new_persons`:
# the persons made with these arrivals, so nothing else (no isolation order) can point at them yet.
arrivals_registered = Signal()

# An officer corrected an entry: arrival_corrected.send(sender=Arrival, arrival=..., change=ArrivalChange)
arrival_corrected = Signal()
