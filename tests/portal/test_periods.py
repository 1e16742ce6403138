"""Reporting periods read from a query string."""

from datetime import date

import pytest

from portal.lib.periods import DASH, Period, parse, quarter_of

TODAY = date(2024, 5, 17)


@pytest.mark.parametrize(
    ("params", "start", "end", "label"),
    [
        (
            {"period": "quarter", "year": "2023", "quarter": "4"},
            date(2023, 10, 1),
            date(2023, 12, 31),
            "Q4 2023",
        ),
        ({"period": "year", "year": "2023"}, date(2023, 1, 1), date(2023, 12, 31), "2023"),
        (
            {"period": "tip", "year": "2023"},
            date(2023, 4, 1),
            date(2024, 3, 31),
            f"TIP 2023{DASH}24",
        ),
        ({"period": "fy", "year": "2024"}, date(2023, 10, 1), date(2024, 9, 30), "FY2024"),
        (
            {"period": "custom", "from": "2023-11-06", "to": "2023-11-30"},
            date(2023, 11, 6),
            date(2023, 11, 30),
            f"2023-11-06 {DASH} 2023-11-30",
        ),
    ],
)
def test_each_kind_of_period_is_read_with_its_label(params, start, end, label):
    period, message = parse(params, TODAY)

    assert (period.start, period.end, period.label, message) == (start, end, label, None)
    assert parse(period.query(), TODAY) == (period, None)


def test_no_period_is_the_current_quarter_without_a_message():
    assert parse({}, TODAY) == (Period("quarter", date(2024, 4, 1), date(2024, 6, 30)), None)


@pytest.mark.parametrize(
    "params",
    [
        {"period": "decade"},
        {"period": "year", "year": "twenty"},
        {"period": "year", "year": "99999999999999999999"},
        {"period": "year", "year": "1899"},
        {"period": "quarter", "year": "2023", "quarter": "5"},
        {"period": "tip"},
        {"period": "custom", "from": "2024-02-30", "to": "2024-03-01"},
        {"period": "custom", "from": "2024-03-01", "to": "2024-02-01"},
        {"period": "custom", "from": "2000-01-01", "to": "2099-12-31"},
        {"period": "custom", "from": "\uff12\uff10\uff12\uff14-01-01", "to": "2024-02-01"},
    ],
)
def test_a_malformed_period_falls_back_to_the_current_quarter_with_a_message(params):
    period, message = parse(params, TODAY)

    assert period == quarter_of(TODAY)
    assert message


def test_a_year_earlier_keeps_the_kind_and_mends_29_february():
    leap = Period("custom", date(2024, 2, 29), date(2024, 3, 31))
    assert leap.a_year_earlier() == Period("custom", date(2023, 2, 28), date(2023, 3, 31))
    tip, _message = parse({"period": "tip", "year": "2023"}, TODAY)
    assert tip.a_year_earlier().label == f"TIP 2022{DASH}23"


def test_quarters_cover_the_year_without_gaps():
    days = [date(2023, 1, 1), date(2023, 3, 31), date(2023, 4, 1), date(2023, 12, 31)]
    assert [quarter_of(day).label for day in days] == ["Q1 2023", "Q1 2023", "Q2 2023", "Q4 2023"]
    assert quarter_of(date(2023, 12, 31)).end == date(2023, 12, 31)


def test_a_period_is_nameable_when_a_query_string_can_name_it():
    first = parse({"period": "year", "year": "2000"}, date(2026, 5, 1))[0]
    assert first.nameable and parse({"period": "fy", "year": "2100"}, date(2026, 5, 1))[0].nameable
    assert not first.a_year_earlier().nameable
    assert Period("custom", date(2023, 2, 28), date(2023, 3, 31)).nameable
    assert not Period("custom", date(2023, 3, 31), date(2023, 2, 28)).nameable
