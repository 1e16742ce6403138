"""Sensitivity labels (the Traffic Light Protocol, TLP 2.0) and who reads a labelled record.

- clear: everyone logged in (and public pages, if any are added);
- green: every portal user;
- amber: the secretariat and the record's organisations;
- red: the secretariat and the people the record names (`named_people`, required for red).

Donors get what this gives; there is no other clearance level. People see each label in
plain words in their language, with the TLP code beside it for those who know the standard.
An app's `permissions.py` says who the reader is (the secretariat or not, their person) and
which organisations a record belongs to; `readable` turns that into the Q its `visible_to`
filters with.
"""

from typing import cast

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

NOTHING = Q(pk__in=[])


class Label(models.TextChoices):
    CLEAR = "clear", _("Public")
    GREEN = "green", _("All portal users")
    AMBER = "amber", _("Participating organisations")
    RED = "red", _("Named people only")


def tlp_code(label: str) -> str:
    """The label as the standard writes it: TLP:AMBER."""
    return f"TLP:{Label(label).value.upper()}"


class Labelled(models.Model):
    """A record with a sensitivity label and, for red, the people it names."""

    label = models.CharField(
        _("sensitivity"), max_length=5, choices=Label.choices, default=Label.AMBER
    )
    # The people a red record is for. (The directory's model, named by its label: the
    # shared mechanisms import no app.)
    named_people = models.ManyToManyField(
        "stakeholders.Person", verbose_name=_("named people"), related_name="+", blank=True
    )

    class Meta:
        abstract = True

    @property
    def label_words(self) -> str:
        return str(Label(self.label).label)

    @property
    def label_code(self) -> str:
        return tlp_code(self.label)


def check_named_people(label: str, named_people: list[object]) -> None:
    """A red record must name the people it is for."""
    if label == Label.RED and not named_people:
        raise ValidationError(
            {"named_people": _("A record for named people only must name at least one person.")}
        )


def readable(
    model: type[Labelled],
    *,
    sees_all: bool,
    portal_user: bool,
    organisations: Q | None,
    person_id: int | None,
) -> Q:
    """The rows of `model` a reader may read by their label.

    `sees_all`: the secretariat. `portal_user`: a logged-in user with a portal role (others
    read clear records only). `organisations`: the Q on `model` of the rows that belong to
    the reader's organisation (None: none do). `person_id`: the reader's person, for red.
    """
    if sees_all:
        return Q()
    if not portal_user:
        return Q(label=Label.CLEAR)
    found = Q(label__in=[Label.CLEAR, Label.GREEN])
    if organisations is not None:
        found |= Q(label=Label.AMBER) & organisations
    if person_id is not None:
        field = model._meta.get_field("named_people")
        through = cast(type[models.Model], field.remote_field.through)
        source = f"{model._meta.model_name}_id"
        named = through._default_manager.filter(person_id=person_id).values(source)
        found |= Q(label=Label.RED, pk__in=named)
    return found
