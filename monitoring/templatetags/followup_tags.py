from django import template

from monitoring.followup import followup_summary

register = template.Library()


@register.inclusion_tag("monitoring/includes/followup_summary.html", takes_context=True)
def followup_figures(context):
    """The follow-up figures of the signed-in user's area: {% load followup_tags %}{% followup_figures %}."""
    return {"followup": followup_summary(context["request"].user)}
