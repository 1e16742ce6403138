"""Charts drawn on the server as SVG: no script, nothing loaded from elsewhere, readable in
print and under a strict Content Security Policy (colours come from classes in portal.css and
from presentation attributes, never from style attributes). Each chart is a picture of a table
the page also shows: the chart is a picture (`role="img"`, named for screen readers) and the
table, with its links to the lists, is the way in."""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

# Bars: the room for labels on the left, for the value on the right, and each bar's height.
LABEL_WIDTH = 190
VALUE_WIDTH = 70
BAR_HEIGHT = 18
GAP = 6
WIDTH = 560


@dataclass(frozen=True)
class Bar:
    """One bar: its label and its parts (one for a plain bar, several stacked)."""

    label: str
    parts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.parts)


def _number(value: int) -> str:
    return str(number_format(value, force_grouping=True))


def _text(value: str, limit: int = 30) -> str:
    return escape(value if len(value) <= limit else value[: limit - 1] + "…")


def bars(title: str, rows: Sequence[Bar], *, series: Sequence[str] = ()) -> SafeString:
    """Horizontal bars, one a row, longest to scale; stacked when the rows have several
    parts (`series` names them, in order, for the legend)."""
    largest = max((row.total for row in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    legend = 22 if len(series) > 1 else 0
    height = legend + len(rows) * (BAR_HEIGHT + GAP) + GAP
    shapes = []
    if legend:
        x = float(LABEL_WIDTH)
        for index, name in enumerate(series):
            shapes.append(
                f'<rect x="{x}" y="4" width="12" height="12" class="chart-part-{index}"/>'
                f'<text x="{x + 16}" y="14" class="chart-legend">{_text(name, 20)}</text>'
            )
            x += 30 + 7.5 * min(len(name), 20)
    for number, row in enumerate(rows):
        y = legend + GAP + number * (BAR_HEIGHT + GAP)
        label = f'<text x="{LABEL_WIDTH - 8}" y="{y + 13}" class="chart-label" text-anchor="end">'
        label += f"{_text(row.label, 27)}</text>"
        shapes.append(label)
        x = float(LABEL_WIDTH)
        for index, part in enumerate(row.parts):
            width = room * part / largest
            if width > 0:
                shapes.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                    f'class="chart-part-{index if len(row.parts) > 1 else 0}"/>'
                )
            x += width
        shapes.append(
            f'<text x="{x + 6:.1f}" y="{y + 13}" class="chart-value">{_number(row.total)}</text>'
        )
    # Every text in it is escaped above.
    return mark_safe(  # noqa: S308
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(shapes)}</svg>"
    )


@dataclass(frozen=True)
class Tile:
    """A place on a schematic map: its code, its short name, its column and row."""

    code: str
    name: str
    column: int
    row: int


TILE = 96
SHADES = 5


def tile_map(
    title: str,
    tiles: Sequence[Tile],
    values: dict[str, int],
    note: str,
) -> SafeString:
    """A schematic map: one square a place, laid out roughly as the places lie, shaded by
    its value in five steps (the darkest the largest); `note` says it is schematic."""
    largest = max(values.values(), default=0) or 1
    columns = max((tile.column for tile in tiles), default=0) + 1
    rows = max((tile.row for tile in tiles), default=0) + 1
    shapes = []
    for tile in tiles:
        value = values.get(tile.code, 0)
        shade = 0 if value == 0 else min(SHADES, 1 + (SHADES * value - 1) // largest)
        x, y = tile.column * TILE, tile.row * TILE
        square = (
            f"<g><title>{escape(tile.name)}: {_number(value)}</title>"
            f'<rect x="{x + 2}" y="{y + 2}" width="{TILE - 4}" height="{TILE - 4}" rx="6" '
            f'class="chart-shade-{shade}"/>'
            f'<text x="{x + TILE / 2}" y="{y + 40}" text-anchor="middle" '
            f'class="chart-tile-name chart-on-{shade}">{_text(tile.name, 14)}</text>'
            f'<text x="{x + TILE / 2}" y="{y + 62}" text-anchor="middle" '
            f'class="chart-tile-value chart-on-{shade}">{_number(value)}</text></g>'
        )
        shapes.append(square)
    width, height = columns * TILE, rows * TILE + 20
    shapes.append(f'<text x="0" y="{height - 4}" class="chart-note">{_text(note, 90)}</text>')
    # Every text in it is escaped above.
    return mark_safe(  # noqa: S308
        f'<svg class="chart chart-map" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(shapes)}</svg>"
    )
