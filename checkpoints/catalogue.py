"""The posts as lists and filters name them, read once per process (regions.catalogue explains how
a change made anywhere reaches every process)."""

from django.db.models.signals import post_delete, post_save

from regions.catalogue import ProcessCatalogue

from .models import Checkpoint


def _load():
    """[(id, code, name)] of every post, in the order the admin lists them (by name)."""
    return list(Checkpoint.objects.values_list("id", "code", "name"))


checkpoints = ProcessCatalogue("checkpoints", _load)


def checkpoint_names() -> dict:
    """id -> name of every post."""
    return {pk: name for pk, _code, name in checkpoints.get()}


def checkpoint_choices() -> list:
    """(code, name) of every post, for a filter's drop-down."""
    return [(code, name) for _pk, code, name in checkpoints.get()]


post_save.connect(checkpoints.changed, sender=Checkpoint, dispatch_uid="checkpoints-catalogue-save")
post_delete.connect(checkpoints.changed, sender=Checkpoint, dispatch_uid="checkpoints-catalogue-delete")
