from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def pct(value) -> str:
    """84.3%, or an en dash when there is nothing to divide."""
    return "–" if value is None else f"{number_format(value, 1)}%"


@register.filter
def field_pct(score, state: str) -> str:
    return pct(score.percent(state))


@register.filter
def pct_of(share) -> str:
    """A share from 0 to 1 as a whole percentage."""
    return "–" if share is None else f"{round(100 * share)}%"
