"""The rows of the dashboard's tables, written here rather than in a template loop: the
tables hold a few hundred cells a page, the most of any page's, and a page with a period of
its own is rendered anew. The markup is that of `activities/includes/figure_table.html`,
which holds the rest of each table."""

from collections.abc import Callable, Iterable
from html import escape as _escape
from typing import Any

from django import template
from django.conf import settings
from django.utils.formats import date_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from portal.templatetags.numbers import grouped

register = template.Library()

HEADER = '<th scope="row" class="fw-normal">'


def escape(value: Any) -> str:
    """As Django's `escape`, without its check for lazy text on every call."""
    return _escape(str(value))


def plain(value: Any) -> Any:
    """A value as a template writes it: a whole number's digits, when numbers are not grouped
    (what `localize` writes for them)."""
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and not settings.USE_THOUSAND_SEPARATOR
    ):
        return str(value)
    return localize(value)


@register.simple_tag
def figure_rows(key: str, shown: dict[str, Any]) -> SafeString:
    """The `<tbody>` of the table of figure `key`."""
    table = shown["table"]
    if key == "items_by_owner":
        cells = _items_by_owner(table.rows)
    elif key == "representation":
        cells = _representation(table.rows)
    elif key == "coverage":
        cells = _coverage(table.rows)
    elif key.startswith("people_"):
        cells = _people(shown["rows"], shown["has_targets"])
    else:
        cells = _counts(table.rows)
    # Every value in it was escaped or is a number the locale wrote.
    return mark_safe(f"<tbody>{''.join(cells)}</tbody>")  # noqa: S308


def _label(row: Any, linked: bool) -> str:
    label = escape(row.label)
    if linked:
        return f'{HEADER}<a href="{escape(row.link)}">{label}</a></th>'
    return f"{HEADER}{label}</th>"


def _numbers(values: Iterable[Any], write: Callable[[Any], Any] = grouped) -> str:
    """Cells of numbers: digits, signs and the locale's separators, which need no escaping."""
    return "".join(f'<td class="text-end">{write(value)}</td>' for value in values)


def _empty(columns: int, text: str) -> list[str]:
    return [f'<tr><td colspan="{columns}" class="text-body-secondary">{escape(text)}</td></tr>']


def _items_by_owner(rows: list[Any]) -> list[str]:
    counts = ("raised", "done", "on_time", "overdue")
    return [
        f"<tr>{_label(row, bool(row.link))}"
        f"{_numbers((row.value[name] for name in counts), plain)}</tr>"
        for row in rows
    ] or _empty(5, gettext("No action items were raised in the period."))


def _representation(rows: list[Any]) -> list[str]:
    return [
        f'<tr>{HEADER}<a href="{escape(row.link)}">{escape(row.label)}</a>'
        f'<div class="small text-body-secondary">'
        f"{escape(date_format(row.value['day'], 'SHORT_DATE_FORMAT'))}</div></th>"
        f"{_numbers((row.value['organisations'], row.value['groups']), plain)}</tr>"
        for row in rows
    ] or _empty(3, gettext("No meeting was held in the period."))


def _coverage(rows: list[Any]) -> list[str]:
    return [
        f"<tr>{_label(row, bool(row.value['answered']))}"
        f"{_numbers((row.value['answered'], row.value['all']), plain)}</tr>"
        for row in rows
    ]


def _people(rows: list[tuple[Any, Any]], has_targets: bool) -> list[str]:
    found = []
    for row, target in rows:
        people = row.value
        line = f"<tr>{_label(row, bool(people.total))}" + _numbers(
            (people.female, people.male, people.undisclosed, people.total)
        )
        if has_targets:
            line += _numbers(["—" if target is None else target])
        found.append(f"{line}</tr>")
    return found


def _counts(rows: list[Any]) -> list[str]:
    return [f"<tr>{_label(row, bool(row.value))}{_numbers([row.value])}</tr>" for row in rows]
