"""Tables in and out: reading uploaded CSV/XLSX files, writing CSV/XLSX downloads."""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
_BINARY_SIGNATURES = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"\x1f\x8b",  # gzip
    b"Rar!",
    b"7z\xbc\xaf",
)
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A phone number or a negative number starts like a formula but cannot run anything.
_PLAIN_NUMBER = re.compile(r"[+-][\d\s().-]*")
_DELIMITERS = (",", ";", "\t")


class TableError(Exception):
    """The file cannot be read as a table; the message is for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Table:
    """A file's header and its non-blank rows, each with its row number in the file."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def read_table(upload: UploadedFile) -> Table:
    """Read an uploaded CSV or XLSX file, whatever its name says, into strings."""
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise TableError(_("The file is larger than 5 MB."))
    upload.seek(0)
    content = upload.read()
    if len(content) > MAX_UPLOAD_BYTES:
        raise TableError(_("The file is larger than 5 MB."))
    if not content.strip():
        raise TableError(_("The file is empty."))
    if content.startswith(_ZIP):
        records = _xlsx_records(content)
    elif content.startswith(_OLE2):
        raise TableError(
            _("Old Excel files (.xls) cannot be read. Save the file as .xlsx or as CSV UTF-8.")
        )
    elif content.startswith(_BINARY_SIGNATURES):
        raise TableError(_("This is neither a CSV nor an XLSX file."))
    else:
        records = _csv_records(_decode(content))
    return _table(records)


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text": UTF-16, tab-separated.
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise TableError(_("This is neither a CSV nor an XLSX file.")) from None
    if b"\x00" in content:
        raise TableError(_("This is neither a CSV nor an XLSX file."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(
            _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8” or as .xlsx.")
        ) from None
    if any(ord(char) < 32 and char not in "\t\r\n" for char in text[:4096]):
        raise TableError(_("This is neither a CSV nor an XLSX file."))
    return text


def _csv_records(text: str) -> Iterable[list[str]]:
    first_line = text.split("\n", 1)[0]
    # The header names hold no delimiters, so the one the header uses most is
    # the file's (Excel writes ";" where the decimal separator is a comma).
    delimiter = max(_DELIMITERS, key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    except csv.Error:
        raise TableError(_("The CSV file is malformed.")) from None


def _xlsx_records(content: bytes) -> Iterable[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise TableError(_("This is neither a CSV nor an XLSX file.")) from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _unescape(value: str) -> str:
    """Undo the apostrophe `_escape` put before a formula-like value."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_STARTS):
        return value[1:]
    return value


def _table(records: Iterable[list[str]]) -> Table:
    iterator = iter(records)
    header = [cell.strip() for cell in next(iterator, [])]
    if not any(header):
        raise TableError(_("The first row must hold the column names."))
    rows: list[tuple[int, list[str]]] = []
    for number, record in enumerate(iterator, start=2):
        cells = [_unescape(cell.strip()) for cell in record]
        if not any(cells):
            continue
        if len(rows) == MAX_ROWS:
            raise TableError(
                _("The file has more than %(count)s rows. Split it into smaller files.")
                % {"count": f"{MAX_ROWS:,}"}
            )
        rows.append((number, cells))
    if not rows:
        raise TableError(_("The file has no rows below the column names."))
    return Table(header=header, rows=rows)


def _escape(value: str) -> str:
    """Keep a spreadsheet from running a value as a formula when it opens the CSV."""
    if value.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return f"'{value}"
    return value


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[str]]
) -> HttpResponse:
    """A CSV download in UTF-8 with a byte-order mark, so that Excel reads Cyrillic."""
    response = HttpResponse(content_type=CSV_CONTENT_TYPE)
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_escape(value) for value in row])
    return _attachment(response, filename)


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[str]], *, title: str
) -> HttpResponse:
    """An XLSX download; every cell is text, so nothing in it runs as a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_text_cell(sheet, name, font=bold) for name in header])
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, filename)


def _text_cell(sheet: Any, value: str, *, font: Font | None = None) -> Cell:
    cell = Cell(sheet, row=1, column=1, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell
