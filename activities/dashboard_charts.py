"""The dashboard's charts: each a picture of one of its tables, drawn on the server as SVG
(`portal.lib.charts`); the table stays on the page as the chart's table view."""

from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from activities import figures
from activities.models import Region
from activities.selectors import NATIONWIDE
from portal.lib.charts import Bar, Tile, bars, tile_map

# Where each region's square lies on the schematic map: (column, row), west to east.
PLACES = {
    Region.KARAKALPAKSTAN: (0, 0),
    Region.KHOREZM: (1, 1),
    Region.NAVOIY: (2, 0),
    Region.BUKHARA: (2, 1),
    Region.JIZZAKH: (3, 0),
    Region.SAMARKAND: (3, 1),
    Region.KASHKADARYA: (3, 2),
    Region.SURKHANDARYA: (4, 2),
    Region.SYRDARYA: (4, 0),
    Region.TASHKENT_CITY: (4, 1),
    Region.TASHKENT_REGION: (5, 0),
    Region.NAMANGAN: (6, 0),
    Region.FERGANA: (6, 1),
    Region.ANDIJAN: (7, 1),
}


PLAIN_BARS = (
    "activities_by_status",
    "activities_by_type",
    "activities_by_pillar",
    "trends_by_type",
)


def _sexes() -> list[str]:
    return [_("Women"), _("Men"), _("Undisclosed")]


def chart(key: str, table: figures.Table, title: str) -> SafeString | None:
    """The chart of the table of figure `key`, or None for a table without one."""
    rows: list[Any] = table.rows
    if key == "activities_by_region":
        counts = {row.code: row.value for row in rows}
        nationwide = counts.get(NATIONWIDE, 0)
        return tile_map(
            title,
            [
                Tile(code, str(label), *PLACES[Region(code)])
                for code, label in Region.choices
                if code in counts
            ],
            counts,
            _("Schematic: a square a region, placed roughly as on a map. Nationwide: %(count)s.")
            % {"count": nationwide},
        )
    if key.startswith("people_by_"):
        return bars(
            title,
            [
                Bar(row.label, (row.value.female, row.value.male, row.value.undisclosed))
                for row in rows
                if key == "people_by_quarter" or row.value.total
            ],
            series=_sexes(),
        )
    if key == "items_by_owner":
        return bars(
            title,
            [
                Bar(
                    row.label,
                    (
                        row.value["on_time"],
                        row.value["done"] - row.value["on_time"],
                        row.value["raised"] - row.value["done"],
                    ),
                )
                for row in rows
            ],
            series=[_("Done on time"), _("Done late"), _("Not done")],
        )
    if key in (
        "activities_by_status",
        "activities_by_type",
        "activities_by_pillar",
        "trends_by_type",
    ):
        return bars(title, [Bar(row.label, (row.value,)) for row in rows])
    return None
