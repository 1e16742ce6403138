"""Reporting periods, as the dashboard and the lists behind its figures take them from the
query string: a calendar quarter, a calendar year, a US TIP Report year (1 April to 31 March,
shown "TIP 2023-24" with an en dash), a US federal fiscal year (1 October to 30 September,
shown "FY2024"), or custom dates. Each period knows the same period a year earlier."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

# Custom periods stay within this many days, so that nothing a query string asks is huge.
LONGEST_CUSTOM = 366 * 10
FIRST_YEAR, LAST_YEAR = 2000, 2100
DASH = "\u2013"  # an en dash, between the years of a TIP year and the days of a range


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # the first day
    end: date  # the last day, included

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return _("Q%(quarter)s %(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "tip":
            return f"TIP {self.start.year}{DASH}{str(self.end.year)[-2:]}"
        if self.kind == "fy":
            return f"FY{self.end.year}"
        return f"{self.start.isoformat()} {DASH} {self.end.isoformat()}"

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as moments in the portal's time zone: the start of its first day and
        the start of the day after its last, for `>=` and `<`."""
        zone = timezone.get_default_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )

    def quarters(self) -> list["Period"]:
        """The calendar quarters the period touches, in order."""
        found, day = [], self.start
        while day <= self.end:
            quarter = quarter_of(day)
            found.append(quarter)
            day = quarter.end + timedelta(days=1)
        return found

    def a_year_earlier(self) -> "Period":
        """The same period one year before (29 February becomes the 28th)."""
        return Period(self.kind, _year_before(self.start), _year_before(self.end))

    @property
    def nameable(self) -> bool:
        """Whether a query string can name this period: `parse` reads it back (a year before
        the first the portal takes cannot be)."""
        found, problem = parse(self.query(), self.start)
        return problem is None and found == self

    @property
    def query_string(self) -> str:
        return urlencode(self.query())

    def query(self) -> dict[str, str]:
        """The query string that names this period."""
        if self.kind == "quarter":
            return {
                "period": "quarter",
                "year": str(self.start.year),
                "quarter": str((self.start.month - 1) // 3 + 1),
            }
        if self.kind == "custom":
            return {"period": "custom", "from": self.start.isoformat(), "to": self.end.isoformat()}
        year = self.end.year if self.kind == "fy" else self.start.year
        return {"period": self.kind, "year": str(year)}


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def quarter_of(day: date) -> Period:
    first_month = (day.month - 1) // 3 * 3 + 1
    start = date(day.year, first_month, 1)
    end = (
        date(day.year + 1, 1, 1) if first_month == 10 else date(day.year, first_month + 3, 1)
    ) - timedelta(days=1)
    return Period("quarter", start, end)


def _year(raw: str | None) -> int | None:
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) != 4:
        return None
    year = int(raw)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def _day(raw: str | None) -> date | None:
    if raw is None or len(raw) != 10 or not raw.isascii():
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


PARAMS = ("period", "year", "quarter", "from", "to")


def named(params: Mapping[str, str]) -> bool:
    """Whether the query string names a period at all (a list is then limited to it)."""
    return bool(params.get("period"))


def parse(params: Mapping[str, str], today: date) -> tuple[Period, str | None]:
    """The period the query string names, and None; or, when it names none or a malformed
    one, the current quarter and a message saying so. Nothing in it raises."""
    kind = params.get("period") or ""
    if not kind:
        return quarter_of(today), None
    year = _year(params.get("year"))
    found: Period | None = None
    if kind == "quarter" and year is not None:
        quarter = params.get("quarter", "")
        if quarter in ("1", "2", "3", "4"):
            found = quarter_of(date(year, (int(quarter) - 1) * 3 + 1, 1))
    elif kind == "year" and year is not None:
        found = Period("year", date(year, 1, 1), date(year, 12, 31))
    elif kind == "tip" and year is not None:
        found = Period("tip", date(year, 4, 1), date(year + 1, 3, 31))
    elif kind == "fy" and year is not None:
        found = Period("fy", date(year - 1, 10, 1), date(year, 9, 30))
    elif kind == "custom":
        start, end = _day(params.get("from")), _day(params.get("to"))
        if (
            start is not None
            and end is not None
            and start <= end
            and (end - start).days <= LONGEST_CUSTOM
            and start.year >= FIRST_YEAR
            and end.year <= LAST_YEAR
        ):
            found = Period("custom", start, end)
    if found is None:
        return quarter_of(today), _("That period could not be read; showing the current quarter.")
    return found, None


def of_list(request: HttpRequest) -> Period | None:
    """The period a list is limited to, when its query string names one (a link from the
    dashboard); a malformed one is the current quarter, with a message saying so."""
    if not named(request.GET):
        return None
    period, problem = parse(request.GET, timezone.localdate())
    if problem:
        messages.warning(request, problem)
    return period
