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
