import io
import zipfile

import pytest
from django.test import override_settings

from portal.lib.uploads import FileType, UploadRefused, check_upload, safe_name, sniff
from tests import files


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (files.docx_bytes(), "agenda.docx", FileType.DOCX),
        (files.xlsx_bytes(), "figures.xlsx", FileType.XLSX),
        (files.pptx_bytes(), "slides.PPTX", FileType.PPTX),
        (files.pdf_bytes(), "agenda.pdf", FileType.PDF),
        (files.png_bytes(), "photo.png", FileType.PNG),
        (files.jpeg_bytes(), "photo.jpg", FileType.JPEG),
        (files.jpeg_bytes(), "photo.jpeg", FileType.JPEG),
    ],
)
def test_it_accepts_each_type_by_its_content(content, name, expected):
    checked = check_upload(io.BytesIO(content), name=name)

    assert checked.file_type == expected
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("content", "name", "said"),
    [
        (files.zip_bytes(), "agenda.docx", "a ZIP archive"),
        (files.HTML, "agenda.pdf", "an HTML page"),
        (files.SVG, "logo.svg", "an SVG image"),
        (files.exe_bytes(), "setup.pdf", "a Windows program"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.doc", "an old Office file"),
        (b"plain words", "notes.txt", "a text file"),
        (b"GIF89a" + b"\x00" * 20, "anim.gif", "a GIF image"),
    ],
)
def test_it_refuses_other_files_saying_what_they_are(content, name, said):
    with pytest.raises(UploadRefused) as refused:
        check_upload(io.BytesIO(content), name=name)

    assert said in refused.value.message
    assert "PDF, Word (.docx)" in refused.value.message


def test_it_refuses_an_empty_file():
    with pytest.raises(UploadRefused, match=r"The file is empty\."):
        check_upload(io.BytesIO(b""), name="empty.pdf")


@override_settings(MAX_DOCUMENT_BYTES=20 * 1024 * 1024)
def test_it_refuses_a_byte_over_the_limit_even_when_the_size_is_not_declared():
    content = files.pdf_bytes() + b"\x00" * (20 * 1024 * 1024 + 1 - len(files.pdf_bytes()))

    with pytest.raises(UploadRefused, match="larger than 20 MB"):
        check_upload(io.BytesIO(content), name="big.pdf")
    with pytest.raises(UploadRefused, match="larger than 20 MB"):
        check_upload(io.BytesIO(b""), name="big.pdf", size=len(content))


@override_settings(MAX_DOCUMENT_BYTES=1024)
def test_the_limit_is_a_setting():
    check_upload(io.BytesIO(files.pdf_bytes()), name="small.pdf")

    with pytest.raises(UploadRefused):
        check_upload(io.BytesIO(files.pdf_bytes() + b" " * 1024), name="large.pdf")


def test_the_extension_must_agree_with_the_content():
    with pytest.raises(UploadRefused) as refused:
        check_upload(io.BytesIO(files.pdf_bytes()), name="agenda.docx")

    assert "PDF document" in refused.value.message
    assert ".pdf" in refused.value.message


def test_a_package_naming_two_main_parts_or_macros_is_refused():
    macro = files.PPTX_CONTENT_TYPES.replace(
        "vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        "vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", macro)

    with pytest.raises(UploadRefused, match="with macros"):
        check_upload(io.BytesIO(buffer.getvalue()), name="slides.pptm")


def test_a_content_types_part_with_entities_is_not_expanded():
    hostile = (
        '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Types>&b;</Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", hostile)

    assert sniff(buffer.getvalue()[:512], io.BytesIO(buffer.getvalue())) is None


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\x\\Повестка дня.pdf", "Повестка дня.pdf"),
        ('a<b>:"c|?*.pdf', "abc.pdf"),
        ("name\r\nX-Header: 1.pdf", "nameX-Header: 1.pdf".replace(":", "")),
        ("..", "file"),
        ("x" * 300 + ".docx", "x" * 195 + ".docx"),
    ],
)
def test_the_name_kept_is_safe(name, kept):
    assert safe_name(name) == kept
