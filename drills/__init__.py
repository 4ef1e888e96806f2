"""Fault and recovery drills: private PostgreSQL clusters, gunicorn on loopback, checks in SQL.

Every drill makes its own throw-away PostgreSQL cluster (initdb into a temporary folder, its own
port, its own socket folder) and tears it down at the end: none touches a cluster it did not make.
See docs/drills.md.
"""
