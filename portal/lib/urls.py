"""Record URLs for long lists, where reverse() for every row costs more than the row."""

from functools import cache

from django.urls import get_script_prefix, reverse

_MARK = 987654321


@cache
def _template(name: str, prefix: str) -> str:
    # The prefix is part of the key: reverse() starts the URL with it.
    return reverse(name, args=[_MARK])


def record_url(name: str, pk: int) -> str:
    """What reverse(name, args=[pk]) gives, for a pattern whose only argument is the pk."""
    return _template(name, get_script_prefix()).replace(str(_MARK), str(pk), 1)
