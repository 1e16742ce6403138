"""The checks an uploaded letter template passes before it is stored: it is hostile input
until then, and letters made from it go out to ministries and embassies."""

from __future__ import annotations

import io
import zipfile
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from meetings.letters.documents import PLACEHOLDERS, placeholders_in

# An uploaded template is hostile until checked. A letter with a letterhead and a logo is
# some 50 KB in about 15 parts; these bounds are far above that and far below harm.
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024
MAX_MEMBERS = 100
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
# Word's XML packs about ten to one; a member packed a hundred times tighter is built to
# blow up, unless it is too small to matter.
MAX_PACKING_RATIO = 100
PACKING_RATIO_FROM_BYTES = 1024 * 1024
MAX_XML_ELEMENTS = 200_000

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, and any password-protected Office file
_CONTENT_TYPES = "[Content_Types].xml"
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOTX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_OTHER_OFFICE_MAINS = (
    "spreadsheetml.sheet.main+xml",
    "ms-excel.sheet.macroenabled.main+xml",
    "presentationml.presentation.main+xml",
    "ms-powerpoint.presentation.macroenabled.main+xml",
)
# Content that runs when the letter is opened: macros, ActiveX controls, embedded objects;
# known by their content types, and by the parts Word keeps them in.
_MACRO_TYPES = ("macroenabled", "vbaproject", "vbadata")
_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
_EMBEDDED_TYPES = ("activex", "oleobject")
_EMBEDDED_FOLDERS = ("/embeddings/", "/activex/")
_HYPERLINK = "/hyperlink"


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _not_docx() -> _Refused:
    return _Refused(_("This is not a Word document (.docx)."))


def _damaged(part: str) -> _Refused:
    return _Refused(
        _(
            "The file is damaged: its part %(part)s cannot be read. Open it in Word and save "
            "it again as a Word document (.docx)."
        )
        % {"part": part}
    )


def _with_macros() -> _Refused:
    return _Refused(
        _(
            "This is a Word document with macros (.docm). Letters are made only from documents "
            "without macros: save it as a Word document (.docx)."
        )
    )


def _too_large() -> _Refused:
    return _Refused(
        _("The file unpacks to far more than a letter holds, so it is not read. Is it a letter?")
    )


def check_template(content: bytes) -> None:
    """Refuse, with a message saying what the file is, anything but a plain Word document
    (.docx, no macros or embedded objects, nothing fetched from elsewhere) within the size
    limits, that opens and holds known placeholders only."""
    try:
        _check_file(content)
    except _Refused as refused:
        raise ValidationError(refused.message, code="invalid_template") from None


def _check_file(content: bytes) -> None:
    if not content:
        raise _Refused(_("The file is empty."))
    if len(content) > MAX_TEMPLATE_BYTES:
        raise _Refused(_("The file is larger than 2 MB."))
    if content.startswith(_OLE2):
        raise _Refused(
            _(
                "This is an old Word document (.doc) or a password-protected one. Save it as "
                "a Word document (.docx) without a password."
            )
        )
    if content.startswith(b"%PDF"):
        raise _Refused(_("This is a PDF file, not a Word document (.docx)."))
    if not content.startswith(_ZIP):
        raise _not_docx()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except Exception:
        # zipfile raises BadZipFile, and OSError, ValueError or others on a crafted archive.
        raise _not_docx() from None
    with archive:
        _check_archive(archive)
    try:
        found = placeholders_in(content)
    except Exception:
        # python-docx raises whatever its ZIP and XML readers raise on a file it cannot read.
        raise _Refused(
            _(
                "The file cannot be read as a Word document. Open it in Word and save it again "
                "as a Word document (.docx)."
            )
        ) from None
    _check_placeholders(found)


def _check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    names = {member.filename for member in members}
    if _CONTENT_TYPES not in names:
        raise _Refused(_("This is a ZIP archive, not a Word document (.docx)."))
    if len(members) > MAX_MEMBERS:
        raise _Refused(
            _("The file holds more than %(count)d parts: that is no letter.")
            % {"count": MAX_MEMBERS}
        )
    # zipfile never unpacks a member beyond the size it declares, so these sums hold.
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise _too_large()
    for member in members:
        if member.flag_bits & 0x1:
            raise _Refused(_("The file is password-protected. Save it without a password."))
        if (
            member.file_size > PACKING_RATIO_FROM_BYTES
            and member.file_size > MAX_PACKING_RATIO * member.compress_size
        ):
            raise _too_large()
        _check_name(member.filename.lower())
    content_types = _read_xml(archive, _CONTENT_TYPES, budget=MAX_XML_ELEMENTS)
    _check_content_types(content_types)
    xml_parts = _xml_parts(content_types, names)
    elements = 0
    for name in sorted(xml_parts):
        scanned = _read_xml(archive, name, budget=MAX_XML_ELEMENTS - elements)
        elements += scanned.elements
        if name.lower().endswith(".rels"):
            _check_relationships(scanned)


def _xml_parts(content_types: _Scanned, names: set[str]) -> set[str]:
    """The members Word (and python-docx) read as XML: by their name, or by the content type
    [Content_Types].xml gives them."""
    by_extension: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for tag, attributes in content_types.found:
        content_type = attributes.get("ContentType", "").lower()
        if tag == "Default":
            by_extension[attributes.get("Extension", "").lower()] = content_type
        elif tag == "Override":
            by_name[attributes.get("PartName", "").lstrip("/")] = content_type
    parts = set()
    for name in names - {_CONTENT_TYPES}:
        if name.endswith("/"):
            continue
        content_type = by_name.get(name) or by_extension.get(name.rpartition(".")[2].lower(), "")
        if name.lower().endswith((".xml", ".rels")) or content_type.endswith("xml"):
            parts.add(name)
    return parts


def _check_name(name: str) -> None:
    if name.endswith(_MACRO_PARTS):
        raise _with_macros()
    if any(folder in f"/{name}" for folder in _EMBEDDED_FOLDERS):
        raise _embedded()


def _embedded() -> _Refused:
    return _Refused(
        _(
            "This Word document holds ActiveX controls or embedded objects, which a letter must "
            "not carry. Remove them and save it again."
        )
    )


class _Scanned:
    """What reading one XML part found: its element count, and the attributes of the
    elements a check needs (content types, relationships)."""

    def __init__(self) -> None:
        self.elements = 0
        self.found: list[tuple[str, dict[str, str]]] = []


_NOTED = frozenset({"Default", "Override", "Relationship"})


def _read_xml(archive: zipfile.ZipFile, name: str, *, budget: int) -> _Scanned:
    """Read one part with a streaming parser that refuses DTDs and entities (which Word
    never writes, and which can blow up), within an element budget."""
    scanned = _Scanned()

    def start(tag: str, attributes: dict[str, str]) -> None:
        scanned.elements += 1
        if scanned.elements > budget:
            raise _too_large()
        local = tag.rpartition(" ")[2]
        if local in _NOTED:
            scanned.found.append((local, attributes))

    def refuse(*args: object) -> None:
        raise _damaged(name)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        with archive.open(name) as source:
            while chunk := source.read(64 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Refused:
        raise
    except Exception:
        # A bad CRC, an unknown compression, malformed XML or an encoding expat refuses.
        raise _damaged(name) from None
    return scanned


def _check_content_types(scanned: _Scanned) -> None:
    types = [attributes.get("ContentType", "").lower() for _tag, attributes in scanned.found]
    if any(content_type.endswith(_OTHER_OFFICE_MAINS) for content_type in types):
        raise _Refused(_("This is an Excel or PowerPoint file, not a Word document (.docx)."))
    if any(mark in content_type for content_type in types for mark in _MACRO_TYPES):
        raise _with_macros()
    if any(mark in content_type for content_type in types for mark in _EMBEDDED_TYPES):
        raise _embedded()
    if _DOCX_MAIN in types:
        return
    if _DOTX_MAIN in types:
        raise _Refused(
            _(
                "This is a Word template (.dotx). Open it in Word and save it as a Word "
                "document (.docx)."
            )
        )
    raise _not_docx()


def _check_relationships(scanned: _Scanned) -> None:
    """A link to a website is fine; a template, frame or object fetched from elsewhere when
    the letter opens is not."""
    for _tag, attributes in scanned.found:
        external = attributes.get("TargetMode", "").lower() == "external"
        if external and not attributes.get("Type", "").endswith(_HYPERLINK):
            raise _Refused(
                _(
                    "This Word document loads content from elsewhere when it opens (a remote "
                    "template, frame or object). Save it without that link."
                )
            )


def _check_placeholders(found: set[str]) -> None:
    known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    unknown = sorted(found - set(PLACEHOLDERS))
    if unknown:
        raise _Refused(
            _("The template holds unknown placeholders: %(unknown)s. It may hold: %(known)s.")
            % {"unknown": ", ".join(f"{{{name}}}" for name in unknown[:10]), "known": known}
        )
    if not found:
        raise _Refused(
            _(
                "The template holds none of the placeholders, so every letter would be the "
                "same. It may hold: %(known)s."
            )
            % {"known": known}
        )
