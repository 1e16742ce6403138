"""The framework references: their form, the coverage page's filters, and the tags field
that decisions, action items and activities share."""

from itertools import groupby
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import FrameworkKind, FrameworkReference
from portal.lib.periods import FIRST_YEAR, LAST_YEAR
from portal.lib.personal_data import PersonalDataCheckMixin
from portal.lib.versions import VersionField
from stakeholders.forms import FilterForm

TAGS = "framework_references"


class FrameworkReferencesField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Tags: the references offered grouped by framework and year; a retired one the record
    already has stays offered, so that saving does not drop it."""

    widget = forms.SelectMultiple(attrs={"data-choices": "", "size": 6})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Framework references"))
        kwargs.setdefault(
            "help_text",
            _("The measures of the National Action Plan and the TIP recommendations it answers."),
        )
        super().__init__(queryset=FrameworkReference.objects.none(), required=False, **kwargs)


def setup_framework_field(form: forms.BaseForm, current: list[int] | None = None) -> None:
    """Offer the active references, and those the record has; grouped as optgroups."""
    field = form.fields.get(TAGS)
    if not isinstance(field, FrameworkReferencesField):
        return
    keep = current or []
    queryset = FrameworkReference.objects.filter(Q(is_active=True) | Q(pk__in=keep))
    field.queryset = queryset.order_by("kind", "-year", "sort_key")
    references = list(field.queryset)
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    for (kind, year), members in groupby(references, key=lambda r: (r.kind, r.year)):
        label = f"{FrameworkKind(kind).label} {year}"
        groups.append((label, [(r.pk, f"{r.code} {_shorten(r.local_text)}") for r in members]))
    field.widget.choices = groups


def tag_current_references(form: forms.BaseModelForm[Any]) -> None:
    """Set up the tags field of a model form, its record's references chosen."""
    instance = form.instance
    current = (
        list(instance.framework_references.values_list("pk", flat=True)) if instance.pk else []
    )
    if instance.pk and TAGS in form.fields:
        form.initial.setdefault(TAGS, current)
    setup_framework_field(form, current)


def _shorten(text: str, length: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


class FrameworkReferenceForm(PersonalDataCheckMixin, forms.ModelForm[FrameworkReference]):
    personal_data_fields = ("text", "text_ru", "text_uz")
    version = VersionField()

    class Meta:
        model = FrameworkReference
        fields = ["kind", "year", "code", "text", "text_ru", "text_uz", "is_active"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "text_ru": forms.Textarea(attrs={"rows": 3}),
            "text_uz": forms.Textarea(attrs={"rows": 3}),
            "year": forms.NumberInput(attrs={"min": 2000, "max": 2100}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]
            del self.fields["is_active"]
            self.fields["year"].initial = timezone.localdate().year
        else:
            self.fields["version"].initial = self.instance.version


ANSWERED_CHOICES = [
    ("", _("Answered or not")),
    ("no", _("Nothing answers it yet")),
    ("yes", _("Answered")),
]


class FrameworkFilterForm(FilterForm):
    kind = forms.ChoiceField(
        label=_("Framework"),
        required=False,
        choices=[("", _("Both frameworks")), *FrameworkKind.choices],
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, choices=[])
    answered = forms.ChoiceField(label=_("Answered"), required=False, choices=ANSWERED_CHOICES)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A year no reference has yet (a link from the dashboard) is a year with none, not
        # a filter dropped: every year on.
        asked = self.data.get("year", "")
        if asked.isascii() and asked.isdigit() and FIRST_YEAR <= int(asked) <= LAST_YEAR:
            years = sorted({*years, int(asked)}, reverse=True)
        year = cast(forms.TypedChoiceField, self.fields["year"])
        year.choices = [("", _("Every year")), *((y, str(y)) for y in years)]
        year.widget.choices = year.choices
