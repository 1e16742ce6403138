"""Uploaded files: what a file is, read from its bytes, never from its name.

One place knows the signatures: documents and evidence are checked here before anything is
stored, and the table reader asks `sniff` what a file that is not a table is. A file is
accepted when its bytes say it is one of the accepted types and its extension agrees;
otherwise the message says what the file is, so that the person who chose it knows why.
"""

import hashlib
import logging
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import IO
from xml.parsers import expat

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

ZIP_SIGNATURE = b"PK\x03\x04"
EMPTY_ZIP_SIGNATURE = b"PK\x05\x06"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt and .msi
PDF_SIGNATURE = b"%PDF-"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
GIF_SIGNATURE = b"GIF8"
GZIP_SIGNATURE = b"\x1f\x8b"
RAR_SIGNATURE = b"Rar!"
SEVEN_ZIP_SIGNATURE = b"7z\xbc\xaf"
# Files that are binary whatever else they are: never text, never a table.
BINARY_SIGNATURES = (
    PDF_SIGNATURE,
    PNG_SIGNATURE,
    JPEG_SIGNATURE,
    GIF_SIGNATURE,
    GZIP_SIGNATURE,
    RAR_SIGNATURE,
    SEVEN_ZIP_SIGNATURE,
)

# A ZIP's [Content_Types].xml is a few kilobytes; more is not an Office file.
MAX_CONTENT_TYPES_BYTES = 256 * 1024
MAX_ZIP_MEMBERS = 10_000
CHUNK_BYTES = 64 * 1024


class FileType(models.TextChoices):
    PDF = "pdf", gettext_lazy("PDF document")
    DOCX = "docx", gettext_lazy("Word document")
    XLSX = "xlsx", gettext_lazy("Excel workbook")
    PPTX = "pptx", gettext_lazy("PowerPoint presentation")
    PNG = "png", gettext_lazy("PNG image")
    JPEG = "jpeg", gettext_lazy("JPEG image")


# The extensions each type may carry, and the content type it is sent with.
EXTENSIONS: dict[FileType, tuple[str, ...]] = {
    FileType.PDF: (".pdf",),
    FileType.DOCX: (".docx",),
    FileType.XLSX: (".xlsx",),
    FileType.PPTX: (".pptx",),
    FileType.PNG: (".png",),
    FileType.JPEG: (".jpg", ".jpeg"),
}
CONTENT_TYPES: dict[FileType, str] = {
    FileType.PDF: "application/pdf",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileType.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    FileType.PNG: "image/png",
    FileType.JPEG: "image/jpeg",
}
# The main part an Office package's [Content_Types].xml names, by type.
_OFFICE_MAIN_PARTS: dict[str, FileType] = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        FileType.DOCX
    ),
    "application/vnd.ms-word.document.macroEnabled.main+xml": FileType.DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": FileType.XLSX,
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": FileType.XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        FileType.PPTX
    ),
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": FileType.PPTX,
}
# Macro-enabled packages name their main part as above, but may carry code.
_MACRO_PARTS = frozenset(
    {
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    }
)

# What a refused file is, in words, by its first bytes.
_KNOWN_OTHERS: tuple[tuple[bytes, str | Promise], ...] = (
    (b"MZ", gettext_lazy("a Windows program")),
    (b"\x7fELF", gettext_lazy("a program")),
    (b"#!", gettext_lazy("a script")),
    (OLE2_SIGNATURE, gettext_lazy("an old Office file (.doc, .xls or .ppt)")),
    (GIF_SIGNATURE, gettext_lazy("a GIF image")),
    (GZIP_SIGNATURE, gettext_lazy("a compressed archive (gzip)")),
    (RAR_SIGNATURE, gettext_lazy("a RAR archive")),
    (SEVEN_ZIP_SIGNATURE, gettext_lazy("a 7-Zip archive")),
    (b"{\\rtf", gettext_lazy("an RTF document")),
)


class UploadRefused(Exception):
    """The file is not accepted; the message is for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload: its type as read from its bytes, size and SHA-256."""

    file_type: FileType
    size: int
    sha256: str
    original_name: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.file_type]


def max_upload_bytes() -> int:
    return int(settings.MAX_DOCUMENT_BYTES)


def _megabytes(size: int) -> str:
    return number_format(size / (1024 * 1024), decimal_pos=0 if size % (1024 * 1024) == 0 else 1)


def sniff(head: bytes, source: IO[bytes] | None = None) -> FileType | None:
    """The accepted type the bytes are, or None; `source` (the whole file) is read for ZIPs."""
    if head.startswith(PDF_SIGNATURE):
        return FileType.PDF
    if head.startswith(PNG_SIGNATURE):
        return FileType.PNG
    if head.startswith(JPEG_SIGNATURE):
        return FileType.JPEG
    if head.startswith(ZIP_SIGNATURE) and source is not None:
        return office_type(source)
    return None


def office_type(source: IO[bytes]) -> FileType | None:
    """The Office type a ZIP package's [Content_Types].xml names as its main part, or None."""
    try:
        source.seek(0)
        with zipfile.ZipFile(source) as archive:
            if len(archive.infolist()) > MAX_ZIP_MEMBERS:
                return None
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                return None
            with archive.open(info) as part:
                content_types = part.read(MAX_CONTENT_TYPES_BYTES + 1)
    except (KeyError, OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError):
        return None
    found: list[str] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if name.rpartition(" ")[2] == "Override":
            content_type = attributes.get("ContentType", "")
            if content_type in _OFFICE_MAIN_PARTS:
                found.append(content_type)

    parser = expat.ParserCreate(namespace_separator=" ")
    # No DTDs, no entities: a hostile package gets nothing expanded.
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args: object) -> None:
        raise ValueError("DTD")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    try:
        parser.Parse(content_types, True)
    except (expat.ExpatError, ValueError):
        return None
    kinds = {_OFFICE_MAIN_PARTS[content_type] for content_type in found}
    if len(kinds) != 1 or any(content_type in _MACRO_PARTS for content_type in found):
        return None
    return kinds.pop()


def describe(head: bytes, source: IO[bytes] | None = None) -> str:
    """What a file that is not accepted is, in words: 'a Windows program', 'an HTML page'."""
    for signature, words in _KNOWN_OTHERS:
        if head.startswith(signature):
            return str(words)
    if head.startswith((ZIP_SIGNATURE, EMPTY_ZIP_SIGNATURE)):
        if source is not None and head.startswith(ZIP_SIGNATURE):
            source.seek(0)
            try:
                with zipfile.ZipFile(source) as archive:
                    names = {name.lower() for name in archive.namelist()[:MAX_ZIP_MEMBERS]}
            except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError):
                names = set()
            if "[content_types].xml" in names:
                return _("an Office file of another kind, or one with macros")
        return _("a ZIP archive")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return _("an SVG image")
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return _("an HTML page")
    if text.startswith(b"<?xml"):
        return _("an XML file")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return _("a file of an unknown kind")
    return _("a text file")


def accepted_types_text() -> str:
    return _("PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), PNG or JPEG")


def check_upload(upload: IO[bytes], *, name: str, size: int | None = None) -> CheckedFile:
    """Check an uploaded file: its type from its bytes, its extension, its size.

    Reads the file once for the checksum; raises `UploadRefused` with a message saying
    what the file is when it is not accepted.
    """
    limit = max_upload_bytes()
    if size is not None and size > limit:
        raise UploadRefused(
            _("The file is larger than %(limit)s MB.") % {"limit": _megabytes(limit)}
        )
    digest = hashlib.sha256()
    total = 0
    upload.seek(0)
    head = b""
    while chunk := upload.read(CHUNK_BYTES):
        if not head:
            head = chunk[:512]
        total += len(chunk)
        if total > limit:
            raise UploadRefused(
                _("The file is larger than %(limit)s MB.") % {"limit": _megabytes(limit)}
            )
        digest.update(chunk)
    if total == 0:
        raise UploadRefused(_("The file is empty."))
    file_type = sniff(head, upload)
    if file_type is None:
        raise UploadRefused(
            _("This file is %(what)s. Upload a %(accepted)s file.")
            % {"what": describe(head, upload), "accepted": accepted_types_text()}
        )
    extension = PurePath(name).suffix.lower()
    if extension not in EXTENSIONS[file_type]:
        raise UploadRefused(
            _(
                "The content of this file is “%(type)s”, but its name ends in “%(extension)s”. "
                "Rename it to end in %(expected)s and upload it again."
            )
            % {
                "type": file_type.label,
                "extension": extension or _("no extension"),
                "expected": " / ".join(EXTENSIONS[file_type]),
            }
        )
    upload.seek(0)
    return CheckedFile(
        file_type=file_type, size=total, sha256=digest.hexdigest(), original_name=safe_name(name)
    )


def safe_name(name: str) -> str:
    """The file name to keep and offer back: no folders, no control characters, at most
    200 characters, the extension kept."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(char for char in base if char.isprintable() and char not in '<>:"|?*')
    base = base.strip(" .") or "file"
    if len(base) > 200:
        stem, dot, extension = base.rpartition(".")
        base = (stem[: 200 - len(extension) - 1] + dot + extension) if dot else base[:200]
    return base


def storage_name(folder: str, now: datetime | None = None) -> str:
    """Where a new file goes: `<folder>/<year>/<uuid>`, never the name the uploader chose."""
    return f"{folder}/{(now or timezone.now()).year}/{uuid.uuid4().hex}"


@contextmanager
def stored(file: IO[bytes], folder: str) -> Iterator[str]:
    """Store a checked upload under a generated name and give that name; when the block that
    records it fails, the file is removed again, so the store holds no file without a
    record. The storage may choose another name if that one is taken."""
    name = default_storage.save(storage_name(folder), file)
    try:
        yield name
    except BaseException:
        default_storage.delete(name)
        raise


def delete_after_commit(name: str | None) -> None:
    """Remove a stored file once the deletion of its record is committed."""
    if name:
        stored_name = name
        transaction.on_commit(lambda: default_storage.delete(stored_name))


def attachment(file: FieldFile, *, name: str, file_type: str) -> FileResponse:
    """A stored file as a download under its original name, never shown inline; a file
    missing from the store is a 404."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        logger.error("The file %s is missing from the store.", file.name)
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES[FileType(file_type)],
    )
    response["Cache-Control"] = "private, no-store"
    return response
