"""Send the reads a view opts into to the read replica; everything else stays on the primary."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

# Set while a `use_replica()` block runs; a ContextVar so threads and async tasks never share it.
_reading_from_replica = ContextVar("reading_from_replica", default=False)


@contextmanager
def use_replica():
    """Within this block (or decorated function), reads go to the replica when one is configured.

    For overview pages and exports only: a replica lags the primary by a moment, so never wrap
    a read that must see a write just made (forms, the entry API, anything before a save).
    """
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def replica_alias() -> str | None:
    """The database alias reads may go to, or None when this deployment has no replica."""
    alias = settings.SIPANTAU_READ_REPLICA
    return alias if alias and alias in settings.DATABASES else None


class ReplicaRouter:
    """Reads inside `use_replica()` go to the replica; writes, migrations and all else to default."""

    def db_for_read(self, model, **hints):
        if _reading_from_replica.get():
            return replica_alias()
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data: a replica row may point at a primary row.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is a physical copy: it follows the primary's schema by itself.
        return db == "default"
