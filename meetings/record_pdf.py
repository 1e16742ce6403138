"""The record of a meeting as PDF, through WeasyPrint when it and its system libraries
(Pango) are installed. The portal runs without them: the PDF link is then hidden, and the
address answers a page saying so.

The page's stylesheet is given inline and WeasyPrint may fetch nothing: no address in a
text can make the server fetch another.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.staticfiles import finders


@cache
def pdf_available() -> bool:
    """Whether WeasyPrint and Pango can be loaded (checked once per process)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


@cache
def record_css() -> str:
    """The record's stylesheet, to inline in the page WeasyPrint reads."""
    found = finders.find("css/record.css")
    if not isinstance(found, str):
        return ""
    with open(found, encoding="utf-8") as stylesheet:
        return stylesheet.read()


@cache
def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class FetchNothing(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"The record fetches nothing: {url}")

    return FetchNothing


def html_to_pdf(html: str) -> bytes:
    """The page as PDF; call only when `pdf_available()`."""
    import weasyprint

    document = weasyprint.HTML(
        string=html, base_url="https://portal.invalid/", url_fetcher=_fetcher()()
    )
    pdf: bytes = document.write_pdf()
    return pdf
