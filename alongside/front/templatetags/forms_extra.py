from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def started_from(field: BoundField) -> str:
    """The hidden value a versioned form's radios and checkboxes started from (other widgets
    render theirs themselves); see front/versioned.py."""
    if not field.field.show_hidden_initial:
        return ""
    return field.as_hidden(only_initial=True)
