"""Whole numbers as the reader's language writes them (12 500 in Russian, 12,500 in English):
a cheap stand-in for `floatformat:"0g"` on tables of counts, which the dashboard writes by
the hundred."""

from django import template
from django.utils.formats import get_format, number_format

register = template.Library()


@register.filter
def grouped(value: object) -> object:
    """An integer with the locale's thousand separators; anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    if -1000 < value < 1000:  # nothing to group, and the digits are the same in every language
        return str(value)
    size = get_format("NUMBER_GROUPING")
    if not isinstance(size, int) or size <= 0:  # groups of several sizes: Django knows them
        return number_format(value, force_grouping=True)
    digits = str(abs(value))
    head = len(digits) % size or size
    groups = [digits[:head], *(digits[at : at + size] for at in range(head, len(digits), size))]
    return ("-" if value < 0 else "") + str(get_format("THOUSAND_SEPARATOR")).join(groups)
