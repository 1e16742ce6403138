"""Markdown for the texts people write (minutes, descriptions, notes), rendered safely.

markdown-it-py turns the text into HTML with raw HTML off, so a tag typed into the text
comes out as text; nh3 then keeps only an allow-list of elements and attributes, so
nothing the text says can run a script, load an image or restyle the page. Pages, print
and PDF all use `render_markdown`; Word files use `markdown_blocks`, read by the same
parser.
"""

from dataclasses import dataclass, field
from functools import cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

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


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting, for writers other than HTML (Word)."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str = ""


@dataclass
class Block:
    """A block of a text: a heading (level 2 to 4), a paragraph, an item of a bulleted or
    numbered list (level: its depth), a quote, code, or a table (rows of cells of runs)."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    rows: list[list[list[Run]]] = field(default_factory=list)


def _runs(children: list[Token]) -> list[Run]:
    runs: list[Run] = []
    bold = italic = 0
    href = ""
    for token in children:
        if token.type == "strong_open":
            bold += 1
        elif token.type == "strong_close":
            bold -= 1
        elif token.type == "em_open":
            italic += 1
        elif token.type == "em_close":
            italic -= 1
        elif token.type == "link_open":
            target = str(token.attrGet("href") or "")
            href = target if target.split(":", 1)[0].lower() in URL_SCHEMES else ""
        elif token.type == "link_close":
            href = ""
        elif token.type in ("softbreak", "hardbreak"):
            runs.append(Run("\n" if token.type == "hardbreak" else " "))
        elif token.type in ("text", "code_inline"):
            runs.append(
                Run(
                    token.content,
                    bold=bold > 0,
                    italic=italic > 0,
                    code=token.type == "code_inline",
                    href=href,
                )
            )
    return runs


def markdown_blocks(text: str) -> list[Block]:
    """The text as blocks of runs, read by the same parser as `render_markdown` (raw HTML
    stays text; links keep the allowed schemes only)."""
    blocks: list[Block] = []
    lists: list[str] = []  # "bullet" or "number", outermost first
    quote = 0
    table: Block | None = None
    row: list[list[Run]] | None = None
    pending: Block | None = None
    for token in _parser().parse(text or ""):
        kind = token.type
        if kind == "heading_open":
            level = int(token.tag[1])
            pending = Block("heading", level=min(max(level, 2), 4))
        elif kind == "paragraph_open" and table is None:
            if lists:
                pending = Block(lists[-1], level=len(lists))
            else:
                pending = Block("quote" if quote else "paragraph")
        elif kind == "bullet_list_open":
            lists.append("bullet")
        elif kind == "ordered_list_open":
            lists.append("number")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "table_open":
            table = Block("table")
        elif kind == "table_close" and table is not None:
            blocks.append(table)
            table = None
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and table is not None and row is not None:
            table.rows.append(row)
            row = None
        elif kind in ("fence", "code_block"):
            blocks.append(Block("code", runs=[Run(token.content.rstrip("\n"), code=True)]))
        elif kind == "inline":
            runs = _runs(token.children or [])
            if row is not None:
                row.append(runs)
            elif pending is not None:
                pending.runs = runs
                blocks.append(pending)
                pending = None
    return blocks
