"""Reading uploaded tables: hostile and oversized workbooks are refused with a message."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from portal.lib.tabular import TableError, read_table
from stakeholders.models import ImportBatch

UNREADABLE = "This is neither a CSV nor an XLSX file."
TOO_MANY_ROWS = "The file has more than 5,000 rows. Split it into smaller files."
TOO_MANY_COLUMNS = "The file has more than 100 columns."
TOO_LARGE = "The file holds too much to read at once. Split it into smaller files."

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
PACKAGE_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{RELATIONSHIPS}">
<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">
<sheets><sheet name="Organisations" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{RELATIONSHIPS}">
<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
SHARED_STRINGS = f"""<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="{MAIN}" count="2" uniqueCount="2">
<si><t>name</t></si><si><t>stakeholder_group</t></si>
</sst>"""
HEADER = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
ROW = (
    '<row r="2"><c r="A2" t="inlineStr"><is><t>Ministry of Justice</t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>ministry</t></is></c></row>'
)
BILLION_LAUGHS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
"""


def sheet(rows: str = HEADER + ROW, *, dimension: str = "", prologue: str = "") -> str:
    dimension = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        prologue or '<?xml version="1.0" encoding="UTF-8"?>\n'
    ) + f'<worksheet xmlns="{MAIN}">{dimension}<sheetData>{rows}</sheetData></worksheet>'


def inline(row: int, *values: str) -> str:
    """A row of inline strings in columns A, B, C..."""
    cells = "".join(
        f'<c r="{chr(ord("A") + i)}{row}" t="inlineStr"><is><t>{value}</t></is></c>'
        for i, value in enumerate(values)
    )
    return f'<row r="{row}">{cells}</row>'


def xlsx(**parts: str | bytes | None) -> bytes:
    """A minimal workbook of one sheet; a keyword replaces a part, None leaves it out."""
    members: dict[str, str | bytes | None] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet(),
        "xl/sharedStrings.xml": SHARED_STRINGS,
    }
    members.update({name.replace("__", "/"): value for name, value in parts.items()})
    return zipped({name: value for name, value in members.items() if value is not None})


def zipped(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in members.items():
            archive.writestr(name, value)
    return buffer.getvalue()


SHEET = "xl__worksheets__sheet1.xml"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/octet-stream")


def many_members() -> bytes:
    return xlsx(**{f"docProps/extra{number}.xml": "<x/>" for number in range(200)})


def packed_tight() -> bytes:
    """A 2 MB member that packs to a few kilobytes: far within the size cap, not the ratio."""
    return xlsx(**{"docProps/padding.xml": b"0" * (2 * 1024 * 1024)})


BAD_WORKBOOKS = {
    "broken XML in the sheet": (
        xlsx(**{SHEET: sheet(HEADER + '<row r="2"><c r="A2"')}),
        UNREADABLE,
    ),
    "entities in the sheet": (
        xlsx(**{SHEET: sheet(HEADER + inline(2, "&lol4;", "media"), prologue=BILLION_LAUGHS)}),
        UNREADABLE,
    ),
    "entities in the shared strings": (
        xlsx(
            **{
                "xl__sharedStrings.xml": BILLION_LAUGHS
                + f'<sst xmlns="{MAIN}"><si><t>&lol4;</t></si><si><t>x</t></si></sst>'
            }
        ),
        UNREADABLE,
    ),
    "a DTD in the workbook": (
        xlsx(**{"xl__workbook.xml": BILLION_LAUGHS + WORKBOOK.split("\n", 1)[1]}),
        UNREADABLE,
    ),
    "a plain DOCTYPE in the sheet": (
        xlsx(**{SHEET: sheet(prologue='<?xml version="1.0"?>\n<!DOCTYPE worksheet SYSTEM "x">')}),
        UNREADABLE,
    ),
    "an unknown cell type": (
        xlsx(**{SHEET: sheet(HEADER + '<row r="2"><c r="A2" t="zz"><v>A</v></c></row>')}),
        UNREADABLE,
    ),
    "text in a number cell": (
        xlsx(**{SHEET: sheet(HEADER + '<row r="2"><c r="A2" t="n"><v>many</v></c></row>')}),
        UNREADABLE,
    ),
    "a bad date cell": (
        xlsx(**{SHEET: sheet(HEADER + '<row r="2"><c r="A2" t="d"><v>soon</v></c></row>')}),
        UNREADABLE,
    ),
    "a bad boolean cell": (
        xlsx(**{SHEET: sheet(HEADER + '<row r="2"><c r="A2" t="b"><v>maybe</v></c></row>')}),
        UNREADABLE,
    ),
    "a cell reference beyond the columns": (
        xlsx(**{SHEET: sheet(HEADER + '<row r="2"><c r="ZZZZZZ0"><v>1</v></c></row>')}),
        UNREADABLE,
    ),
    "a wide sheet in a part whose name does not end in .xml": (
        xlsx(
            **{
                SHEET: None,
                "xl__worksheets__sheet1": sheet(
                    HEADER + "<row>" + "<c><v>1</v></c>" * 101 + "</row>"
                ),
                "xl___rels__workbook.xml.rels": WORKBOOK_RELS.replace(
                    "worksheets/sheet1.xml", "worksheets/sheet1"
                ),
                "[Content_Types].xml": CONTENT_TYPES.replace(
                    "/xl/worksheets/sheet1.xml", "/xl/worksheets/sheet1"
                ),
            }
        ),
        TOO_MANY_COLUMNS,
    ),
    "a cell reference to row 0": (
        xlsx(**{SHEET: sheet(HEADER + '<row r="2"><c r="A0"><v>1</v></c></row>')}),
        UNREADABLE,
    ),
    "a shared string that is not there": (
        xlsx(**{SHEET: sheet(HEADER + '<row r="2"><c r="A2" t="s"><v>999</v></c></row>')}),
        UNREADABLE,
    ),
    "a negative shared string": (
        xlsx(**{SHEET: sheet(HEADER + '<row r="2"><c r="A2" t="s"><v>-1</v></c></row>')}),
        UNREADABLE,
    ),
    "a bad dimension": (xlsx(**{SHEET: sheet(dimension="A1:ZZZZZZ9")}), UNREADABLE),
    "a million declared rows": (xlsx(**{SHEET: sheet(dimension="A1:A1000000")}), TOO_MANY_ROWS),
    "5,001 blank rows": (
        xlsx(**{SHEET: sheet(HEADER + "<row/>" * 5001)}),
        TOO_MANY_ROWS,
    ),
    "a row numbered a million": (
        xlsx(**{SHEET: sheet(HEADER + ROW + inline(1_000_000, "Late", "media"))}),
        TOO_MANY_ROWS,
    ),
    "a declared width of 702 columns": (
        xlsx(**{SHEET: sheet(dimension="A1:ZZ2")}),
        TOO_MANY_COLUMNS,
    ),
    "a row of 101 cells": (
        xlsx(**{SHEET: sheet(HEADER + "<row>" + "<c><v>1</v></c>" * 101 + "</row>")}),
        TOO_MANY_COLUMNS,
    ),
    "a cell in column XFD": (
        xlsx(**{SHEET: sheet(HEADER + ROW + '<row r="3"><c r="XFD3"><v>1</v></c></row>')}),
        TOO_MANY_COLUMNS,
    ),
    "50 MB of spaces in a cell": (
        xlsx(**{SHEET: sheet(HEADER + inline(2, " " * (50 * 1024 * 1024), "media"))}),
        TOO_LARGE,
    ),
    "50,001 elements in the styles": (
        xlsx(
            **{
                "xl__styles.xml": f'<styleSheet xmlns="{MAIN}">'
                + "<xf/>" * 50_000
                + "</styleSheet>"
            }
        ),
        TOO_LARGE,
    ),
    "250,001 shared strings": (
        xlsx(
            **{
                "xl__sharedStrings.xml": f'<sst xmlns="{MAIN}">'
                + "".join(f"<si><t>{n}</t></si>" for n in range(250_001))
                + "</sst>"
            }
        ),
        TOO_LARGE,
    ),
    "a member packed a thousand to one": (packed_tight(), UNREADABLE),
    "too many members": (many_members(), UNREADABLE),
    "a cell of 2,001 characters": (
        xlsx(**{SHEET: sheet(HEADER + inline(2, "Ministry", "x" * 2001))}),
        "Row 2, column B holds more than 2,000 characters.",
    ),
    "no workbook part": (xlsx(**{"xl__workbook.xml": None}), UNREADABLE),
    "no sheet part": (xlsx(**{SHEET: None}), UNREADABLE),
    "half a workbook": (xlsx()[:600], UNREADABLE),
    "a ZIP signature and then nothing of a ZIP": (b"PK\x03\x04" + b"\x00" * 200, UNREADABLE),
    "a ZIP of a text file": (zipped({"notes.txt": "hello"}), UNREADABLE),
}


@pytest.fixture
def secretariat(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


def post(client, file: SimpleUploadedFile):
    return client.post(
        reverse("stakeholders:import_upload", args=["organisations"]), {"file": file}
    )


@pytest.mark.django_db
def test_it_imports_the_minimal_workbook_the_bad_ones_are_made_from(secretariat):
    response = post(secretariat, upload("organisations.xlsx", xlsx()))

    assert response.status_code == 302
    assert ImportBatch.objects.get().rows == [
        {"_row": "2", "name": "Ministry of Justice", "stakeholder_group": "ministry"}
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "error"), BAD_WORKBOOKS.values(), ids=BAD_WORKBOOKS.keys())
def test_it_refuses_a_hostile_workbook_with_a_form_error(secretariat, content, error):
    response = post(secretariat, upload("organisations.xlsx", content))

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [error]
    assert ImportBatch.objects.count() == 0


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_it_refuses_a_declared_million_rows_without_reading_a_row(monkeypatch):
    def no_rows(*args, **kwargs):
        raise AssertionError("the rows were read")

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", no_rows)
    content = xlsx(**{SHEET: sheet(dimension="A1:A1000000")})

    with pytest.raises(TableError) as refused:
        read_table(upload("organisations.xlsx", content))

    assert refused.value.message == TOO_MANY_ROWS


def test_a_sheet_part_of_any_name_is_checked_before_openpyxl_reads_it(monkeypatch):
    def no_rows(*args, **kwargs):
        raise AssertionError("the rows were read")

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", no_rows)
    content, error = BAD_WORKBOOKS["a wide sheet in a part whose name does not end in .xml"]

    with pytest.raises(TableError) as refused:
        read_table(upload("organisations.xlsx", content))

    assert refused.value.message == error


def test_it_reads_5000_rows_with_blank_ones_among_them():
    rows = HEADER + "<row/>" * 10 + "".join(inline(n, f"Org {n}", "media") for n in range(12, 5002))

    table = read_table(upload("organisations.xlsx", xlsx(**{SHEET: sheet(rows)})))

    assert len(table.rows) == 4990
    assert table.rows[0] == (12, ["Org 12", "media"])


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (f"name,stakeholder_group\nMinistry,{'x' * 2001}\n", "Row 2, column B holds more than"),
        (
            f'name,stakeholder_group\nMinistry,media\nA,"{"x" * 200_000}"\n',
            "Row 3 holds a cell longer than 2,000 characters.",
        ),
        ("name" + ",x" * 100 + "\nMinistry\n", TOO_MANY_COLUMNS),
        ("name,stakeholder_group\n" + "\n" * 5001, TOO_MANY_ROWS),
        ("name,stakeholder_group\n" + ",\n" * 5001, TOO_MANY_ROWS),
    ],
    ids=[
        "a long cell",
        "a cell past the csv module's limit",
        "101 columns",
        "blank lines",
        "5,001 blank rows",
    ],
)
def test_it_caps_a_csv_file(text, error):
    with pytest.raises(TableError) as refused:
        read_table(upload("organisations.csv", text.encode()))

    assert error in refused.value.message
