"""Whole numbers as the reader's language writes them (12 500 in Russian, 12,500 in English):
a cheap stand-in for `floatformat:"0g"` on tables of counts."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def grouped(value: object) -> object:
    """An integer with the locale's thousand separators; anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return number_format(value, force_grouping=True)
