"""Queries compiled once and run with other values."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count

from activities.summary_models import SummaryActivity, SummaryCoverage
from portal.lib.prepared import Prepared, day, number, text

pytestmark = pytest.mark.django_db


def activity(pk: int, first: date, last: date, status: str = "ongoing") -> None:
    SummaryActivity.objects.create(
        id=pk, first_day=first, last_day=last, status=status, type="training", primary_pillar="p"
    )


def test_it_builds_once_and_answers_as_the_queryset_with_each_values_would():
    activity(1, date(2024, 1, 1), date(2024, 1, 31), "ongoing")
    activity(2, date(2024, 3, 1), date(2024, 3, 2), "completed")
    activity(3, date(2024, 3, 1), date(2024, 6, 30), "completed")
    built = []

    def build(first: date, last: date, status: str):  # type: ignore[no-untyped-def]
        built.append((first, last, status))
        return (
            SummaryActivity.objects.filter(first_day__lte=last, last_day__gte=first)
            .exclude(status=status)
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    prepared = Prepared(build, (day(0), day(1), text(0)))
    asked = [
        (date(2024, 1, 15), date(2024, 3, 1), "none"),
        (date(2024, 3, 2), date(2024, 12, 31), "none"),
        (date(2024, 1, 1), date(2024, 12, 31), "completed"),
        (date(2025, 1, 1), date(2025, 12, 31), "none"),
    ]
    for values in asked:
        expected = list(build(*values))
        assert [pk for (pk,) in prepared.rows(*values)] == expected
    # Built with the stand-ins once, and once more with others to check them, whatever it
    # was asked; the rest built the expectations.
    assert built.count((day(0), day(1), text(0))) == 1
    assert len(built) == len(asked) + 2


def test_rows_come_as_dicts_named_by_their_columns_and_numbers_take_their_place():
    SummaryCoverage.objects.create(year=2024, kind="nap", answered=3, everything=5)
    SummaryCoverage.objects.create(year=2025, kind="nap", answered=1, everything=2)
    prepared = Prepared(
        lambda year: (
            SummaryCoverage.objects.filter(year=year)
            .values("kind")
            .annotate(answered_now=Count("pk"))
        ),
        (number(0),),
    )
    assert prepared.dicts(2025) == [{"kind": "nap", "answered_now": 1}]
    assert prepared.dicts(2030) == []


def test_a_stand_in_the_query_does_not_hold_is_an_error():
    prepared = Prepared(
        lambda first, last: SummaryActivity.objects.filter(first_day=first), (day(0), day(1))
    )
    with pytest.raises(ImproperlyConfigured, match=r"Stand-ins \[1\]"):
        prepared.rows(date(2024, 1, 1), date(2024, 2, 1))


def test_it_takes_as_many_values_as_stand_ins():
    prepared = Prepared(lambda first: SummaryActivity.objects.filter(first_day=first), (day(0),))
    with pytest.raises(TypeError, match="1 values expected, 2 given"):
        prepared.rows(date(2024, 1, 1), date(2024, 2, 1))


def test_a_value_worked_out_from_a_stand_in_is_refused():
    from datetime import timedelta

    prepared = Prepared(
        lambda first, last: SummaryActivity.objects.filter(
            first_day__gte=first, first_day__lte=last, last_day__lt=last + timedelta(days=1)
        ),
        (day(0), day(1)),
    )
    with pytest.raises(ImproperlyConfigured, match="worked out from its stand-ins"):
        prepared.rows(date(2024, 1, 1), date(2024, 2, 1))


def test_it_compiles_again_in_another_language():
    from django.utils import translation

    languages = []

    def build(first: date):  # type: ignore[no-untyped-def]
        languages.append(translation.get_language())
        return SummaryActivity.objects.filter(first_day=first).values_list("pk")

    prepared = Prepared(build, (day(0),))
    for language in ("en", "ru", "en"):
        with translation.override(language):
            prepared.rows(date(2024, 1, 1))
    # Twice for each language (the stand-ins and the check), once each.
    assert languages == ["en", "en", "ru", "ru"]
