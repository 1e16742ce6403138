"""The kinds of record a file can import, each with its columns, checks and writer.

The directory registers organisations and people; other apps register theirs when
they start (`register`), so the batch, its preview, its all-or-nothing import
and its pages serve every kind without this app knowing the others.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import get_language

from stakeholders.imports.results import Preview, RowResult
from stakeholders.models import ImportBatch, User

type Text = str | Promise
# Called with the number of rows imported so far, after each chunk.
type Progress = Callable[[int], None]


def column_name(header: str) -> str:
    """A header as a column name: letter case and spacing aside."""
    return "_".join(header.casefold().split())


@dataclass(frozen=True)
class ImportKind:
    kind: str
    title: Text  # "Import organisations"
    list_title: Text  # the list it adds to, for the breadcrumb: "Organisations"
    list_url_name: str
    done_label: Text  # the link to the list once imported: "Go to the organisations"
    key_label: Text  # what identifies a row on the preview: "Name"
    columns: tuple[str, ...]
    required: tuple[str, ...]
    help: Mapping[str, Text]
    example: tuple[Text, ...]
    may_import: Callable[[User], bool]
    # The rows' outcomes against the current data, worked out in a few queries for any number.
    check: Callable[[ImportBatch], list[RowResult]]
    # Writes the rows of a preview without errors (inside the import's transaction).
    write: Callable[[User, Preview, Progress, str], None]
    # A header of the file as a column name, or "" to ignore it.
    header_column: Callable[[str], str] = column_name
    # The template's header row in a language (a code of settings.LANGUAGES), if it has its own.
    template_header: Callable[[str], Sequence[str]] | None = None
    # More to say on the upload page, paragraph by paragraph.
    notes: tuple[Text, ...] = field(default=())
    # Whether a row may update a record (otherwise rows are added, or left out).
    updates: bool = True
    # Said once the import is done, and the query string of the list it leads to.
    done_note: Text = ""
    done_query: str = ""

    def column_titles(self) -> dict[str, str]:
        """Each column's name as the reader sees it in the template."""
        if self.template_header is None:
            return {name: name for name in self.columns}
        return dict(zip(self.columns, self.template_header(get_language()), strict=True))


KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> None:
    if kind.kind not in ImportBatch.Kind.values:
        raise ValueError(f"{kind.kind!r} is not an ImportBatch.Kind")
    KINDS[kind.kind] = kind


def get(kind: str) -> ImportKind:
    """The registered kind, or 404 for a name that is none."""
    try:
        return KINDS[kind]
    except KeyError:
        raise Http404 from None


def may_import_any(user: User) -> bool:
    return any(kind.may_import(user) for kind in KINDS.values())
