"""A stand-in for the entry API, for rehearsing the drills' machinery before the real API lands.

Not the product: `--rehearse` swaps in these settings so the drills' cluster, gunicorn, killer
loop, retries and SQL checks can be exercised end to end. Reports made with it say so.
"""
