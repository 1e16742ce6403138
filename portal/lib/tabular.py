"""Tables in and out: reading uploaded CSV/XLSX files, writing CSV/XLSX downloads."""

import csv
import io
import re
import zipfile
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any
from xml.parsers import expat

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from portal.lib import uploads

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 2000
# An XLSX file is a ZIP archive; these bound what reading it may unpack.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 200
# Spreadsheet XML packs about ten to one; a member packed a hundred times
# tighter is built to blow up, unless it is too small to matter.
MAX_PACKING_RATIO = 100
PACKING_RATIO_FROM_BYTES = 1024 * 1024
# openpyxl spends some microseconds on each XML element it reads, and parses
# the styles and the workbook whole: these bound the time and memory it takes.
MAX_XML_ELEMENTS = 500_000
MAX_PART_ELEMENTS = 50_000

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A phone number or a negative number starts like a formula but cannot run anything.
_PLAIN_NUMBER = re.compile(r"[+-][\d\s().-]*")
_DELIMITERS = (",", ";", "\t")
# What a worksheet's XML may say of its rows and cells; Excel's last cell is XFD1048576.
_CELL_TYPES = frozenset({"b", "d", "e", "inlineStr", "n", "s", "str"})
_SHEET_ROW = re.compile(r"[1-9][0-9]{0,6}")
_CELL_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?[1-9][0-9]{0,6}")
_LAST_COLUMN = 16384
_DIMENSION = re.compile(r"\$?[A-Za-z]{1,3}\$?[0-9]+(?::\$?([A-Za-z]{1,3})\$?([0-9]+))?")
# The sheets and the shared strings grow with the rows; the other parts do not.
_LARGE_PARTS = frozenset({"worksheet", "sst"})


def _number(value: int) -> str:
    """A limit as the reader writes numbers: 5,000 in English, 5 000 in Russian."""
    return number_format(value, force_grouping=True)


class TableError(Exception):
    """The file cannot be read as a table; the message is for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _unreadable() -> TableError:
    return TableError(_("This is neither a CSV nor an XLSX file."))


@dataclass(frozen=True)
class Table:
    """A file's header and its non-blank rows, each with its row number in the file."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def read_table(upload: UploadedFile[bytes]) -> Table:
    """Read an uploaded CSV or XLSX file, whatever its name says, into strings."""
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise TableError(_("The file is larger than 5 MB."))
    upload.seek(0)
    content = upload.read()
    if len(content) > MAX_UPLOAD_BYTES:
        raise TableError(_("The file is larger than 5 MB."))
    if not content.strip():
        raise TableError(_("The file is empty."))
    records: Generator[list[str]]
    if content.startswith(uploads.ZIP_SIGNATURE):
        records = _xlsx_records(content)
    elif content.startswith(uploads.OLE2_SIGNATURE):
        raise TableError(
            _("Old Excel files (.xls) cannot be read. Save the file as .xlsx or as CSV UTF-8.")
        )
    elif content.startswith(uploads.BINARY_SIGNATURES):
        raise _unreadable()
    else:
        records = _csv_records(_decode(content))
    with closing(records):
        return _table(records)


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text": UTF-16, tab-separated.
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise _unreadable() from None
    if b"\x00" in content:
        raise _unreadable()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(
            _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8” or as .xlsx.")
        ) from None
    if any(ord(char) < 32 and char not in "\t\r\n" for char in text[:4096]):
        raise _unreadable()
    return text


def _csv_records(text: str) -> Generator[list[str]]:
    first_line = text.split("\n", 1)[0]
    # The header names hold no delimiters, so the one the header uses most is
    # the file's (Excel writes ";" where the decimal separator is a comma).
    delimiter = max(_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    number = 1
    try:
        for record in reader:
            yield record
            number += 1
    except csv.Error as error:
        # The csv module's own cap on a cell (131,072 characters, for the whole
        # process) is far above ours: a cell that long is too long, not malformed.
        if "field limit" in str(error):
            raise _cell_too_long(number) from None
        raise TableError(_("The CSV file is malformed.")) from None


def _xlsx_records(content: bytes) -> Generator[list[str]]:
    _check_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:
        # openpyxl raises whatever its parsers raise on a broken or hostile file
        # (ZIP, XML, DTD and entity refusals, KeyError, IndexError, TypeError...).
        raise _unreadable() from None
    try:
        if not isinstance(sheet, ReadOnlyWorksheet):
            raise _unreadable()
        # openpyxl would fill the sheet out to its declared size, row by row.
        _check_size(rows=sheet.max_row or 0, columns=sheet.max_column or 0)
        # From here on the rows in the file count, not the ones the sheet declares.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                values = next(rows, None)
                if values is None:
                    return
                record = [_cell_text(value) for value in values]
            except Exception:
                raise _unreadable() from None
            yield record
    finally:
        workbook.close()


def _check_archive(content: bytes) -> None:
    """Refuse an archive that would unpack or parse to far more than an upload may hold."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise _unreadable()
            # zipfile never unpacks a member beyond the size it declares, so these sums hold.
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise _too_large()
            for member in members:
                if (
                    member.file_size > PACKING_RATIO_FROM_BYTES
                    and member.file_size > MAX_PACKING_RATIO * member.compress_size
                ):
                    raise _unreadable()
            elements = 0
            for member in members:
                # openpyxl follows the relationships to parts of any name: every part but
                # pictures is read as XML, so every part but pictures is checked as XML.
                if not member.filename.lower().endswith(_MEDIA) and not member.is_dir():
                    with archive.open(member) as source:
                        elements += _check_part(source, budget=MAX_XML_ELEMENTS - elements)
    except TableError:
        raise
    except Exception:
        raise _unreadable() from None


_MEDIA = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".svg", ".bin")


def _check_part(source: IO[bytes], *, budget: int) -> int:
    """Check one XML part with a streaming parser before openpyxl reads it; count its elements.

    openpyxl parses some parts whole and holds a whole <row> of a sheet at a
    time, and it reads some bad cells silently (a negative shared string is the
    last one), so sizes and cells are checked here, before any of that.
    """
    elements = rows = cells = 0
    root = ""
    shared_string: list[str] | None = None

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal elements, rows, cells, root, shared_string
        tag = name.rpartition(" ")[2]
        elements += 1
        root = root or tag
        if elements > (budget if root in _LARGE_PARTS else min(budget, MAX_PART_ELEMENTS)):
            raise _too_large()
        if root != "worksheet":
            return
        if tag == "dimension":
            declared = _DIMENSION.fullmatch(attributes.get("ref", ""))
            if declared and declared[1]:
                _check_size(rows=int(declared[2]), columns=column_index_from_string(declared[1]))
        elif tag == "row":
            rows, cells = rows + 1, 0
            if not _SHEET_ROW.fullmatch(attributes.get("r", "1")):
                raise _unreadable()
        elif tag == "c":
            cells += 1
            cell_type = attributes.get("t", "n")
            reference = _CELL_REFERENCE.fullmatch(attributes.get("r", "A1"))
            if (
                cell_type not in _CELL_TYPES
                or not reference
                or column_index_from_string(reference[1]) > _LAST_COLUMN
            ):
                raise _unreadable()
            shared_string = [] if cell_type == "s" else None
        _check_size(rows=rows, columns=cells)

    def text(data: str) -> None:
        if shared_string is not None:
            shared_string.append(data)

    def end(name: str) -> None:
        nonlocal shared_string
        if shared_string is not None and name.rpartition(" ")[2] == "c":
            if not "".join(shared_string).strip().isdecimal():
                raise _unreadable()
            shared_string = None

    def refuse(*args: object) -> None:
        raise _unreadable()

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    while chunk := source.read(64 * 1024):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return elements


def _too_large() -> TableError:
    return TableError(_("The file holds too much to read at once. Split it into smaller files."))


def _check_size(*, rows: int, columns: int) -> None:
    """Refuse more rows (the names' row and MAX_ROWS more) or columns than a file may hold."""
    if rows > MAX_ROWS + 1:
        raise _too_many_rows()
    if columns > MAX_COLUMNS:
        raise _too_many_columns()


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


def _too_many_rows() -> TableError:
    return TableError(
        _("The file has more than %(count)s rows. Split it into smaller files.")
        % {"count": _number(MAX_ROWS)}
    )


def _too_many_columns() -> TableError:
    return TableError(
        _("The file has more than %(count)s columns.") % {"count": _number(MAX_COLUMNS)}
    )


def _cell_too_long(row: int, column: int | None = None) -> TableError:
    if column is None:
        return TableError(
            _("Row %(row)s holds a cell longer than %(count)s characters.")
            % {"row": row, "count": _number(MAX_CELL_CHARS)}
        )
    return TableError(
        _("Row %(row)s, column %(column)s holds more than %(count)s characters.")
        % {"row": row, "column": get_column_letter(column), "count": _number(MAX_CELL_CHARS)}
    )


def _checked(number: int, record: list[str]) -> list[str]:
    if len(record) > MAX_COLUMNS:
        raise _too_many_columns()
    for column, cell in enumerate(record, start=1):
        if len(cell) > MAX_CELL_CHARS:
            raise _cell_too_long(number, column)
    return record


def _table(records: Iterator[list[str]]) -> Table:
    header = [cell.strip() for cell in _checked(1, next(records, []))]
    if not any(header):
        raise TableError(_("The first row must hold the column names."))
    rows: list[tuple[int, list[str]]] = []
    # Blank rows count towards the limit too: a file of a million blank rows
    # would otherwise hold the request for as long as it takes to skip them.
    for number, record in enumerate(records, start=2):
        if number > MAX_ROWS + 1:
            raise _too_many_rows()
        cells = [_unescape(cell.strip()) for cell in _checked(number, record)]
        if not any(cells):
            continue
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


# The formats lists export to.
EXPORT_FORMATS = ("csv", "xlsx")


def download_response(
    fmt: str, name: str, header: Sequence[str], rows: Iterable[Sequence[str]], *, title: str
) -> HttpResponse:
    """An export of a list as `name`.csv or `name`.xlsx (`fmt` one of EXPORT_FORMATS)."""
    if fmt == "csv":
        return csv_response(f"{name}.csv", header, rows)
    return xlsx_response(f"{name}.xlsx", header, rows, title=title)
