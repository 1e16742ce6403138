"""Charts drawn on the server: bars to scale, stacked parts, a schematic map shaded by value,
every text escaped."""

import re

from portal.lib.charts import Bar, Tile, bars, tile_map


def test_bars_are_drawn_to_scale_with_their_values():
    svg = bars("Activities", [Bar("Training", (30,)), Bar("Workshop", (15,))])
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-label="Activities"' in svg
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)"', svg)]
    assert widths == [300.0, 150.0]  # the longest fills the room, the other half of it
    assert "<a " not in svg  # a picture: the table beside it holds the links
    assert ">30</text>" in svg and ">15</text>" in svg


def test_stacked_bars_have_a_part_each_and_a_legend():
    svg = bars("People", [Bar("Police", (5, 3, 1))], series=["Women", "Men", "Undisclosed"])
    assert svg.count('class="chart-part-0"') == 2  # the legend's square and the bar's part
    assert "chart-part-2" in svg and ">Undisclosed</text>" in svg and ">9</text>" in svg


def test_an_empty_chart_is_drawn_without_dividing_by_zero():
    assert "<svg" in bars("Nothing", [Bar("None yet", (0,))])


def test_every_text_is_escaped():
    svg = bars('<script>alert("x")</script>', [Bar("<b>&</b>", (1,))])
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in svg and "&lt;script&gt;alert(&quot;x&quot;)" in svg


def test_a_tile_map_shades_the_largest_darkest_and_notes_it_is_schematic():
    tiles = [
        Tile("UZ-BU", "Bukhara", 0, 0),
        Tile("UZ-SA", "Samarkand", 1, 0),
        Tile("X", "Empty", 2, 0),
    ]
    svg = tile_map("By region", tiles, {"UZ-BU": 10, "UZ-SA": 2}, "Schematic")
    assert "chart-shade-5" in svg and "chart-shade-1" in svg and "chart-shade-0" in svg
    assert ">Schematic</text>" in svg and "<title>Bukhara: 10</title>" in svg
