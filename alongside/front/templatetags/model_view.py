"""Looking up by key in templates: the strengths-based model is kept per level."""

from django import template

register = template.Library()


@register.filter
def get(mapping: dict, key: str):
    return mapping.get(key, ())


@register.filter
def items_of(mapping: dict) -> list:
    return sorted(mapping.items())


@register.filter
def held_value(value) -> str:
    """One value of a subject access record: lists (codes chosen) joined, text keeping its lines."""
    from django.template.defaultfilters import linebreaksbr

    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return linebreaksbr(value, autoescape=True)
