"""Looking up by key in templates: the strengths-based model is kept per level."""

from django import template

register = template.Library()


@register.filter
def get(mapping: dict, key: str):
    return mapping.get(key, ())


@register.filter
def items_of(mapping: dict) -> list:
    return sorted(mapping.items())
