"""Markdown for the texts people write (minutes, descriptions, notes), rendered safely.

markdown-it-py turns the text into HTML with raw HTML off, so a tag typed into the text
comes out as text; nh3 then keeps only an allow-list of elements and attributes, so
nothing the text says can run a script, load an image or restyle the page. Pages, print
and PDF all use `render_markdown`.
"""

from functools import cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "em",
        "strong",
        "del",
        "s",
        "blockquote",
        "ul",
        "ol",
        "li",
        "h2",
        "h3",
        "h4",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "code",
        "pre",
        "a",
    }
)
# No style attribute: the CSP forbids inline styles, and a text must not restyle the page.
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# A heading typed with one # is the page's own title level: it is shown as h2.
_HEADING_LEVELS = {"h1": "h2", "h5": "h4", "h6": "h4"}


@cache
def _parser() -> MarkdownIt:
    # "js-default": CommonMark with tables and strikethrough, raw HTML off, links validated.
    return MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})


def render_markdown(text: str) -> SafeString:
    """The text as sanitised HTML: paragraphs, emphasis, lists, h2 to h4, tables, code and
    links (opening with rel="noopener nofollow"); nothing else."""
    html = _parser().render(text or "")
    for high, low in _HEADING_LEVELS.items():
        html = html.replace(f"<{high}>", f"<{low}>").replace(f"</{high}>", f"</{low}>")
    clean = nh3.clean(
        html,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener nofollow",
        strip_comments=True,
    )
    # nh3 removed every element and attribute outside the allow-list above.
    return mark_safe(clean)  # noqa: S308
