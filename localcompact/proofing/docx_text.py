"""The text of an uploaded Word (.docx) draft, read safely.

`core.uploads` has already checked the file's size, extension and first bytes (a .docx
is a ZIP archive). Before python-docx opens it, this module looks inside the archive
without unpacking it, and refuses:

- an archive that is not a readable ZIP, or whose parts are encrypted;
- a password-protected Word file (Word saves those as an OLE compound file, not a ZIP);
- a zip bomb: more than `MAX_MEMBERS` parts, more than `MAX_UNCOMPRESSED` bytes once
  unpacked, or a main document part of more than `MAX_TEXT_PART` (by what the archive
  declares: Python's zipfile never unpacks more than a part declares, and fails on a
  part whose data does not match), or a large part packed more tightly than `MAX_RATIO`
  to one, which real documents never are;
- a file with macros (a .docm renamed, or a .docx carrying a VBA project), and any
  document whose main part is not a Word document (a template, a spreadsheet...).

Then the text is read in the order a reader meets it: headings and paragraphs, and
tables row by row, each cell's text on a line of its own (merged cells once; tables in
cells too). Headers, footers, comments and tracked deletions are not part of the draft
checked.
"""

from __future__ import annotations

import zipfile

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

MAX_MEMBERS = 1000
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # bytes, all parts unpacked
MAX_TEXT_PART = 25 * 1024 * 1024  # bytes of the main document part (parsed in memory)
MAX_RATIO = 100  # unpacked to packed, for a part of more than RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# No entities, no DTDs fetched, no network, no huge trees (as python-docx's own parser).
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class Unreadable(Exception):
    """The file cannot be read as a draft; the message says why, for the person."""


def _check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise Unreadable(
            f"The selected file has more than {MAX_MEMBERS} parts inside it, which a Word "
            "document does not: save it again from Word and upload it"
        )
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise Unreadable(
                "The selected file is password-protected: remove the password in Word "
                "and upload it again"
            )
        total += member.file_size
        if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise Unreadable(
                "The selected file unpacks to far more than its size, which a Word "
                "document does not: save it again from Word and upload it"
            )
    if total > MAX_UNCOMPRESSED:
        raise Unreadable(
            f"The selected file unpacks to more than {MAX_UNCOMPRESSED // (1024 * 1024)} MB: "
            "upload the text of the draft without large pictures"
        )
    main = next((m for m in members if m.filename.lower() == "word/document.xml"), None)
    if main is not None and main.file_size > MAX_TEXT_PART:
        raise Unreadable(
            "The selected file's text is too long to check in one go: check it in parts"
        )
    names = {m.filename.lower() for m in members}
    if any(name.endswith("vbaproject.bin") or "vbadata" in name for name in names):
        raise Unreadable(
            "The selected file contains macros: save it from Word as a Word Document "
            "(.docx), not a macro-enabled one, and upload it again"
        )
    if "[content_types].xml" not in names:
        raise Unreadable("The selected file is not a real Word document (.docx)")
    types = archive.read("[Content_Types].xml")
    if len(types) > RATIO_FROM:
        raise Unreadable("The selected file is not a real Word document (.docx)")
    try:
        root = etree.fromstring(types, parser=SAFE_XML)
    except etree.XMLSyntaxError:
        raise Unreadable("The selected file is not a real Word document (.docx)") from None
    declared = [
        element.get("ContentType", "")
        for element in root
        if element.tag in (f"{CONTENT_TYPES}Override", f"{CONTENT_TYPES}Default")
    ]
    if any("macroenabled" in kind.lower() or "vba" in kind.lower() for kind in declared):
        raise Unreadable(
            "The selected file contains macros: save it from Word as a Word Document "
            "(.docx), not a macro-enabled one, and upload it again"
        )
    if WORD_MAIN not in declared:
        raise Unreadable("The selected file is not a Word document (.docx)")


def _lines_of(container) -> list[str]:
    lines: list[str] = []
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text.strip())
        elif isinstance(block, Table):
            lines.append("")
            for row in block.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue  # a merged cell is listed once for each grid column
                    seen.add(id(cell._tc))
                    lines.extend(line for line in _lines_of(cell) if line)
            lines.append("")
    return lines


def text_of(uploaded) -> str:
    """The draft's text, one paragraph, heading or table cell a line, or `Unreadable`."""
    uploaded.seek(0)
    if uploaded.read(len(OLE)) == OLE:
        uploaded.seek(0)
        raise Unreadable(
            "The selected file is password-protected or an old Word format: remove any "
            "password and save it as a Word Document (.docx)"
        )
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            _check_archive(archive)
        uploaded.seek(0)
        document = docx.Document(uploaded)
        lines = _lines_of(document)
    except Unreadable:
        raise
    except Exception:  # zipfile's, lxml's and python-docx's errors, on a damaged file
        raise Unreadable("The selected file could not be read as a Word document (.docx)") from None
    finally:
        uploaded.seek(0)
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()
