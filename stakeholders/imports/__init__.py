"""Importing organisations and people from a file: read, preview, then apply all rows or none.

A batch keeps the file's rows from upload to confirmation. Its preview is worked
out again against the current data each time it is shown. Confirming queues the
batch (preview → queued); a Celery task runs it (queued → running), works the
preview out once more inside one transaction and writes every row in bulk, with
history, or nothing: then the batch is back to its preview with the reason.
"""

from stakeholders.imports import directory  # noqa: F401 - registers the directory's kinds
from stakeholders.imports.apply import (
    CHUNK_SIZE,
    REJECTION_KEYS,
    Rejection,
    import_batch_apply,
    import_batch_confirm,
    import_batch_create,
    import_batch_discard,
    import_batches_recover,
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
from stakeholders.imports.kinds import KINDS, ImportKind, may_import_any, register
from stakeholders.imports.preview import OrganisationNames, import_batch_preview
from stakeholders.imports.results import ImportRejected

__all__ = [
    "CHUNK_SIZE",
    "COLUMNS",
    "COLUMN_HELP",
    "EXAMPLES",
    "KINDS",
    "ORGANISATION_COLUMNS",
    "PERSON_COLUMNS",
    "REJECTION_KEYS",
    "REQUIRED_COLUMNS",
    "ImportKind",
    "ImportRejected",
    "OrganisationNames",
    "Rejection",
    "import_batch_apply",
    "import_batch_confirm",
    "import_batch_create",
    "import_batch_discard",
    "import_batch_preview",
    "import_batches_recover",
    "may_import_any",
    "organisation_export_row",
    "person_export_row",
    "register",
]
