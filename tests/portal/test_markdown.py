from html.parser import HTMLParser

import pytest

from portal.lib.markdown import TAGS, render_markdown


class Elements(HTMLParser):
    """The elements and attributes a piece of HTML holds, as a browser would read them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.comments: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def handle_comment(self, data):
        self.comments.append(data)


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "![picture](https://example.org/tracker.png)",
        '<a href="https://example.org" onclick="steal()">link</a>',
        "<div style='position:fixed'>covering the page</div>",
        "<!-- a comment -->",
        "<iframe src='https://example.org'></iframe>",
    ],
)
def test_it_renders_hostile_text_inert(text):
    parsed = Elements(render_markdown(text))

    assert {tag for tag, _attrs in parsed.found} <= TAGS
    for tag, attrs in parsed.found:
        assert set(attrs) <= {"href", "title", "rel", "start"}, (tag, attrs)
        if "href" in attrs:
            assert str(attrs["href"]).startswith(("https:", "http:", "mailto:")), attrs
    assert parsed.comments == []


def test_raw_html_stays_text():
    assert render_markdown("<b>bold?</b>") == "<p>&lt;b&gt;bold?&lt;/b&gt;</p>\n"


def test_lists_tables_headings_emphasis_code_and_links_survive():
    html = render_markdown(
        "# Decisions\n\n"
        "1. First\n2. Second\n\n"
        "- **bold** and *italic* and `code`\n\n"
        "| Region | Trainings |\n|---|---|\n| Bukhara | 2 |\n\n"
        "See [the report](https://example.org/report).\n\n"
        "#### Detail"
    )

    assert "<h2>Decisions</h2>" in html  # one # is the page's own level below its title
    assert "<ol>" in html and "<li>Second</li>" in html
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert "<code>code</code>" in html
    assert "<table>" in html and "<td>Bukhara</td>" in html
    assert '<a href="https://example.org/report" rel="noopener nofollow">the report</a>' in html
    assert "<h4>Detail</h4>" in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
