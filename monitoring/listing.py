"""The arrival list's table: its rows read as values, their labels from the per-process catalogues,
every cell worked out once in Python and the table drawn by Jinja2 (docs/monitoring.md, "Cost of a page").

A page of 50 rows used to build 300 model instances, translate seven column names per row and
run three subqueries per row for the isolation state; now it is one query for the rows, one for
their orders and one pass over plain values.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from checkpoints.catalogue import checkpoint_names
from followup.models import IsolationOrder
from regions.catalogue import region_table
from travellers.models import Person, mask_number

# What a row reads from the arrival and its traveller (the keyset cursor needs arrived_at and id).
ROW_FIELDS = (
    "id",
    "arrived_at",
    "person__name",
    "person__id_type",
    "person__id_number",
    "origin_id",
    "destination_id",
    "checkpoint_id",
    "isolation_required",
)
_DETAIL = "999999999"  # a placeholder id, replaced per row: one reverse() per page, not per row


def newest_orders(user, arrival_ids) -> dict:
    """arrival id -> (state, end date) of the newest order it opened or restarted, among those `user` sees."""
    if not arrival_ids:
        return {}
    orders = (
        IsolationOrder.objects.visible_to(user)
        .filter(arrival_id__in=arrival_ids)
        .order_by("arrival_id", "end_date", "id")
        .values_list("arrival_id", "state", "end_date")
    )
    return {arrival_id: (state, end) for arrival_id, state, end in orders}  # the newest wins


def column_labels() -> dict:
    return {
        "when": _("Waktu tiba"),
        "name": _("Nama"),
        "document": _("Identitas"),
        "origin": _("Asal"),
        "destination": _("Tujuan"),
        "post": _("Posko"),
        "isolation": _("Isolasi"),
    }


def table_rows(rows, user, day=None) -> list[dict]:
    """The cells of each row (a dict of ROW_FIELDS), in the active language and WIB."""
    day = day or timezone.localdate()
    labels = region_table().labels()
    posts = checkpoint_names()
    orders = newest_orders(user, [row["id"] for row in rows])
    detail = reverse("monitoring:arrival_detail", args=[_DETAIL])
    badges = {
        IsolationOrder.Status.CLOSED: (_("Ditutup lebih awal"), False),
        IsolationOrder.Status.COMPLETED: (_("Isolasi selesai"), False),
        "required": (_("Wajib isolasi"), True),
        "no": (_("Tidak"), False),
    }
    until = _("Isolasi s.d. %(end)s")
    months = {}  # month -> "Jan", "Des", … as the date filter's "M" gives it, in the active language
    zone = timezone.get_current_timezone()
    cells = []
    for row in rows:
        at = row["arrived_at"].astimezone(zone)
        order = orders.get(row["id"])
        if order is None:
            badge = badges["required" if row["isolation_required"] else "no"]
        else:
            status = IsolationOrder.Status.of(*order, day)
            if status == IsolationOrder.Status.ACTIVE:
                end = order[1]
                if end.month not in months:
                    months[end.month] = str(MONTHS_3[end.month]).title()
                badge = (until % {"end": f"{end.day} {months[end.month]}"}, True)
            else:
                badge = badges[status]
        keep = 4 if row["person__id_type"] == Person.IdType.NIK else 2
        cells.append(
            {
                "iso": at.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "when": at.strftime("%d-%m-%Y %H:%M"),
                "href": detail.replace(_DETAIL, str(row["id"])),
                "name": row["person__name"],
                "document": mask_number(row["person__id_number"], keep=keep),
                "origin": labels.get(row["origin_id"], ""),
                "destination": labels.get(row["destination_id"], ""),
                "post": posts.get(row["checkpoint_id"], ""),
                "badge": badge,
            }
        )
    return cells


def arrivals_table(rows, user, day=None) -> str:
    """The <table> of a page of arrivals (rows of ROW_FIELDS), drawn by Jinja2."""
    context = {"rows": table_rows(rows, user, day), "th": column_labels()}
    return mark_safe(render_to_string("monitoring/arrival_table.html", context, using="jinja2"))
