"""Text helpers shared by the apps."""

import re

# The Uzbek Latin letters o' and g' and the tutuq belgisi (U+02BB, U+02BC) are
# typed with many look-alike marks; searching treats them as one.
APOSTROPHES = "ʻʼ‘’`´ʹ′"  # noqa: RUF001 - the look-alikes are the point
_SPACES = re.compile(r"\s+")


def fold(*parts: str) -> str:
    """Case-folded, apostrophe-normalised text for a stored search column.

    SQLite's LIKE folds only ASCII letters, so Cyrillic search compares
    values folded here, in Python, on both databases.
    """
    # NUL cannot be stored or searched for in PostgreSQL.
    text = " ".join(p for p in parts if p).replace("\x00", "").casefold()
    for mark in APOSTROPHES:
        text = text.replace(mark, "'")
    return _SPACES.sub(" ", text).strip()
