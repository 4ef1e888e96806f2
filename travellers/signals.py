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

# A newly stored arrival (not an entry_key answered again):
# arrival_registered.send(sender=Arrival, arrival=..., first_arrival=bool). `first_arrival`: its
# person was made with it, so nothing else (no isolation order) can point at that person yet.
arrival_registered = Signal()

# An officer corrected an entry: arrival_corrected.send(sender=Arrival, arrival=..., change=ArrivalChange)
arrival_corrected = Signal()
