"""Text helpers shared by the apps."""

import re
import unicodedata

from django.utils.translation import get_language

# The Uzbek Latin letters o' and g' and the tutuq belgisi (U+02BB, U+02BC) are
# typed with many look-alike marks; searching treats them as one.
APOSTROPHES = "ʻʼ‘’`´ʹ′"  # noqa: RUF001 - the look-alikes are the point
_SPACES = re.compile(r"\s+")
# Characters that take no space on the screen: two names differing only by them look the same.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"))


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


def name_key(name: str) -> str:
    """What makes two names the same name: compatibility forms, invisible characters,
    spacing, letter case (Cyrillic included) and apostrophes do not count."""
    text = unicodedata.normalize("NFKC", name).translate(_INVISIBLE)
    return unicodedata.normalize("NFKC", fold(text))


def in_reader_language(text: str, text_ru: str, text_uz: str) -> str:
    """The Russian or Uzbek version of a text for a reader in that language, when there is
    one; the main text otherwise."""
    language = get_language() or ""
    if language.startswith("ru") and text_ru:
        return text_ru
    if language.startswith("uz") and text_uz:
        return text_uz
    return text
