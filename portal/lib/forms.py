"""Form pieces the apps share: a picker that scales to any number of records.

An `AutocompleteField` chooses one record among thousands without rendering
them all. With JavaScript, Tom Select asks a permission-scoped JSON endpoint as
the person types. Without it, the field is a text box: submitting the form
re-renders it with up to 20 matching choices (one match is taken at once).
"""

from collections.abc import Callable, Iterator, Sequence
from html import escape
from typing import Any

from django import forms
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.http import QueryDict
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

SEARCH_SUFFIX = "__q"
MAX_CHOICES = 20


class PlainSelect(forms.Select):
    """A select of plain choices (no groups) rendered in Python: a few hundred choices (the
    countries) in a millisecond, where Django renders a template per option."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(str(code))}"{" selected" if str(code) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for code, label in self.choices
        )
        final_attrs = self.build_attrs(self.attrs, attrs)
        # Every value and label is escaped above.
        return mark_safe(  # noqa: S308
            f'<select name="{escape(name)}"{flatatt(final_attrs)}>{options}</select>'
        )


class ListedChoiceIterator(ModelChoiceIterator[models.Model]):
    """The choices of a short list of records (a filter's series), read in one query: Django
    reads them through iterator(), which on PostgreSQL opens a server-side cursor, three
    round trips (DECLARE, FETCH, CLOSE) for a few dozen rows."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for record in self.queryset.all():
            yield self.choice(record)


class AutocompleteSelect(forms.Select):
    template_name = "includes/widgets/autocomplete.html"

    def __init__(self, *, url_name: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"class": "form-select", **(attrs or {})})
        self.url_name = url_name
        # Narrows what the endpoint offers, e.g. "organisation=12".
        self.url_query = ""
        self.search_value = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-autocomplete-url"] = reverse(self.url_name) + (
            f"?{self.url_query}" if self.url_query else ""
        )
        context["widget"]["attrs"]["data-no-results"] = _("No match")
        context["search"] = {"name": name + SEARCH_SUFFIX, "value": self.search_value}
        return context


class AutocompleteField(forms.ModelChoiceField[models.Model]):
    """One record of a scoped queryset, chosen through a picker.

    `search(query)` returns at most 20 matching records; the form sets both it and
    the queryset (from `visible_to`) for its user, through `AutocompleteFormMixin`.
    """

    widget: AutocompleteSelect

    def __init__(self, *, url_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", None)
        super().__init__(widget=AutocompleteSelect(url_name=url_name), **kwargs)
        self.search: Callable[[str], Sequence[models.Model]] = lambda query: []
        self.pending_error = ""
        self.offered: dict[str, models.Model] = {}

    def to_python(self, value: Any) -> models.Model | None:
        # The record the form offered was read from the same scoped queryset already.
        if value is not None and str(value) in self.offered:
            return self.offered[str(value)]
        return super().to_python(value)

    def label_from_instance(self, obj: models.Model) -> str:
        return str(obj)

    def offer(self, records: Sequence[models.Model]) -> None:
        """Render only these records as choices, never the whole queryset."""
        empty = ("", self.empty_label or "")
        self.offered = {str(r.pk): r for r in records}
        self.widget.choices = [empty, *((r.pk, self.label_from_instance(r)) for r in records)]


class AutocompleteFormMixin(forms.BaseForm):
    """Prepares the form's `AutocompleteField`s: scoped queryset, offered choices, and the
    search a person without JavaScript submitted."""

    def setup_autocomplete(
        self,
        name: str,
        *,
        queryset: models.QuerySet[Any],
        search: Callable[[str], Sequence[models.Model]],
    ) -> None:
        field = self.fields.get(name)
        if not isinstance(field, AutocompleteField):
            return
        field.queryset = queryset
        field.search = search
        key = self.add_prefix(name)
        query = ""
        value: Any = self.initial.get(name, field.initial)
        if self.is_bound:
            query = str(self.data.get(key + SEARCH_SUFFIX, "")).strip()[:100]
            value = self.data.get(key)
        field.widget.search_value = query
        if isinstance(value, models.Model):
            value = value.pk
        selected = list(queryset.filter(pk=value)[:1]) if _is_id(value) else []
        if selected or not query:
            field.offer(selected)
            return
        matches = list(search(query)[:MAX_CHOICES])
        if len(matches) == 1:
            self._choose(key, matches[0].pk)
            field.offer(matches)
            return
        field.offer(matches)
        field.pending_error = (
            _("Choose one of the records matching “%(query)s”.") % {"query": query}
            if matches
            else _("Nothing matches “%(query)s”; try fewer letters.") % {"query": query}
        )

    def _choose(self, key: str, pk: object) -> None:
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data[key] = str(pk)
        self.data = data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, field in self.fields.items():
            error = field.pending_error if isinstance(field, AutocompleteField) else ""
            if error and cleaned.get(name) is None:
                self.add_error(name, error)
        return cleaned


def _is_id(value: object) -> bool:
    return isinstance(value, int) or (
        isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18
    )
