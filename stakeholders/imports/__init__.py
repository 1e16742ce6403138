"""Importing organisations and people from a file: read, preview, then apply all rows or none.

A batch keeps the file's rows from upload to confirmation. Its preview is worked
out again against the current data each time it is shown and once more when it
is confirmed; the writes themselves go through the directory's services.
"""

from stakeholders.imports.apply import (
    import_batch_apply,
    import_batch_create,
    import_batch_discard,
)
from stakeholders.imports.columns import (
    COLUMN_HELP,
    COLUMNS,
    EXAMPLES,
    ORGANISATION_COLUMNS,
    PERSON_COLUMNS,
    REQUIRED_COLUMNS,
    organisation_export_row,
    person_export_row,
)
from stakeholders.imports.preview import import_batch_preview
from stakeholders.imports.results import ImportRejected

__all__ = [
    "COLUMNS",
    "COLUMN_HELP",
    "EXAMPLES",
    "ORGANISATION_COLUMNS",
    "PERSON_COLUMNS",
    "REQUIRED_COLUMNS",
    "ImportRejected",
    "import_batch_apply",
    "import_batch_create",
    "import_batch_discard",
    "import_batch_preview",
    "organisation_export_row",
    "person_export_row",
]
