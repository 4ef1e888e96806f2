"""The one place that turns an account into the rows it may see. Deny by default."""

from django.db.models import Q

from regions.models import code_within

NOTHING = Q(pk__in=[])


def jurisdiction_q(user, field: str) -> Q:
    """Q for rows whose region code in `field` lies within `user`'s jurisdictions.

    Superusers see everything; officers and accounts without a role reach no region
    (officers reach their own post's entries of today, which the models scope themselves).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    if not user.role or user.is_officer:
        return NOTHING
    return code_within(field, user.jurisdiction_codes())
