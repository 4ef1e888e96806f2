"""How an account that wrote a record is named on pages: {% load authors %}{{ check.checked_by|author }}."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def author(user):
    """The author's name (or username); "(akun nonaktif)" after it when deactivated; "—" when none.

    Accounts that wrote records cannot be deleted (the foreign keys PROTECT them; admins
    deactivate instead), so None means the record was written by the system (generated data,
    imports) or before that rule: it renders as a dash, never as an error.
    """
    if user is None:
        return "—"
    name = user.get_full_name() or user.get_username()
    if not user.is_active:
        return _("%(name)s (akun nonaktif)") % {"name": name}
    return name
