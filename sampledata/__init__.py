"""Made-up travellers for demos and benchmarks: not an app, never imported by the runtime apps' code.

`synthetic` makes realistic arrivals in bulk (`manage.py generate_arrivals`, bench/; Faker when
installed), `demo` a month of activity for the demo accounts (`manage.py seed_demo_activity`,
standard library only). Only those management commands, bench/ and the tests import it.
"""
