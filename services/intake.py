"""Reading the files bodies send, at the edge: a report (Word, text, Markdown) and its checks.

Everything that touches bytes is here; what the text means is in
:mod:`rules.reading` and :mod:`rules.outline`. A file is recognised by its
content first and its name second, and every refusal is one line naming the
file: a Word 97–2003 ``.doc``, a password-protected or macro-enabled file, a
corrupt or oversized one, a zip bomb (its unpacked size is capped from the
central directory and again while streaming, before python-docx or openpyxl
open it), a file in a legacy Vietnamese font (``.VnTime``, ``VNI-``).

Word files are read with python-docx's XML: headings are usually Normal
paragraphs with every run bold, and automatic numbering (``w:numPr``) is not in
the text, so it is rebuilt from ``numbering.xml``; deletions (``w:del``) are
dropped and insertions kept; headers, footers and comments are not read; the
masthead table gives the header, the signature and recipients table is
skipped, data tables are kept as Markdown rows (merged cells blank).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from rules.errors import UserError
from rules.reading import Line, fold, lines_of_text, looks_legacy, markdown_table, nfc, roman

MAX_TEXT_BYTES = 2 * 1024 * 1024  # a text or Markdown report (as services.provision)
MAX_FILE_BYTES = 10 * 1024 * 1024  # a Word report or an Excel form, as sent
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # a Word or Excel file, unzipped
MAX_MEMBERS = 5000

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_LEGACY_FONTS = (".vn", "vni-", "vni ", "vni_")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # Word's artefacts, not the body's text


@dataclass(frozen=True)
class Extracted:
    """A report as read from its file: ``kind`` (``docx``, ``txt``, ``md``), its lines,
    the masthead's lines (Word), and its text (what review and synthesis read)."""

    kind: str
    lines: list[Line]
    head: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines).strip("\n") + "\n"


def _name(filename: str) -> str:
    return PurePath(filename or "report").name or "report"


def suffix(filename: str) -> str:
    return PurePath(filename or "").suffix.lower()


# -- sniffing and the zip container ------------------------------------------------------


def refuse_container(name: str, data: bytes, what: str) -> None:
    """Refuse what is not an Office Open XML file, naming what it is instead."""
    if data.startswith(OLE2):
        if _ENCRYPTED in data:
            raise UserError(
                f"{name}: the file is password-protected (encrypted); remove the password "
                "(File → Info → Protect) and send it again"
            )
        raise UserError(
            f"{name}: a Word 97–2003 (.doc) or Excel 97–2003 (.xls) file cannot be read; "
            f"save it as {what} and send it again"
        )
    if data.startswith(b"{\\rtf"):
        raise UserError(f"{name}: an RTF file cannot be read; save it as {what}")
    if data.startswith(b"%PDF"):
        raise UserError(
            f"{name}: a PDF is not read as a report; send the {what} file and attach the PDF"
        )


def open_zip(name: str, data: bytes, what: str, limit: int = MAX_FILE_BYTES) -> zipfile.ZipFile:
    """The file as a zip, checked before anything expands it: its size, its central
    directory's declared sizes, and every member streamed against a cap (a zip bomb
    lies in its directory; a corrupt member fails its CRC here, in one line)."""
    if len(data) > limit:
        raise UserError(f"{name}: the file is larger than {limit // 2**20} MiB")
    refuse_container(name, data, what)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UserError(f"{name}: not a readable {what} file (damaged or not {what})") from None
    if len(members) > MAX_MEMBERS:
        raise UserError(f"{name}: too many parts ({len(members)}) for a {what} file")
    declared = sum(m.file_size for m in members)
    if declared > MAX_UNPACKED_BYTES:
        raise UserError(
            f"{name}: unpacks to {declared // 2**20} MiB, more than "
            f"{MAX_UNPACKED_BYTES // 2**20} MiB; refused unopened"
        )
    total = 0
    try:
        for member in members:
            if member.flag_bits & 0x1:
                raise RuntimeError("encrypted member")
            seen = 0
            with archive.open(member) as stream:
                while chunk := stream.read(1 << 16):
                    seen += len(chunk)
                    total += len(chunk)
                    if seen > member.file_size or total > MAX_UNPACKED_BYTES:
                        raise UserError(
                            f"{name}: unpacks past {MAX_UNPACKED_BYTES // 2**20} MiB; refused"
                        )
    except UserError:
        raise
    except RuntimeError:  # zipfile: an encrypted member
        raise UserError(f"{name}: the file is password-protected; remove the password") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise UserError(f"{name}: not a readable {what} file (a damaged part)") from None
    return archive


def content_types(name: str, archive: zipfile.ZipFile, what: str) -> str:
    try:
        return archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except KeyError:
        raise UserError(f"{name}: not a {what} file (no [Content_Types].xml)") from None


def refuse_macros(name: str, types: str, archive: zipfile.ZipFile, what: str) -> None:
    names = archive.namelist()
    if "macroEnabled" in types or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UserError(
            f"{name}: a macro-enabled file is refused; save it as a plain {what} "
            "(without macros) and send it again"
        )


# -- a report ------------------------------------------------------------------------------


def read_report_file(filename: str, data: bytes) -> Extracted:
    """A report file as sent: Word (.docx) or UTF-8 text/Markdown, by content first."""
    name = _name(filename)
    ext = suffix(name)
    if ext in (".docm", ".dotm"):
        raise UserError(
            f"{name}: a macro-enabled Word file is refused; save it as .docx and send it again"
        )
    if ext in (".xlsx", ".xlsm", ".xls"):
        raise UserError(f"{name}: an Excel workbook is a data form, not a report (use --form)")
    if data.startswith(b"PK\x03\x04") or data.startswith(OLE2) or ext in (".docx", ".doc"):
        return read_docx(name, data)
    refuse_container(name, data, ".docx")
    if len(data) > MAX_TEXT_BYTES:
        raise UserError(f"{name}: the report is larger than {MAX_TEXT_BYTES // 1024} KiB")
    text = decode_text(name, data)
    return Extracted("md" if ext in (".md", ".markdown") else "txt", lines_of_text(text))


def decode_text(name: str, data: bytes) -> str:
    """UTF-8 (a BOM dropped) or UTF-16 with its BOM (Notepad's "Unicode"); anything else
    is refused, as is Vietnamese in a legacy 8-bit encoding."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{name}: the report is not UTF-8 (byte {exc.start})") from None
    if looks_legacy(text):
        raise UserError(
            f"{name}: the text is in a legacy Vietnamese encoding (TCVN3/VNI), not Unicode; "
            "convert it to Unicode (e.g. Unikey's converter) and send it again"
        )
    return nfc(text)


def read_docx(name: str, data: bytes) -> Extracted:
    """A Word report's lines and masthead (see the module's docstring)."""
    archive = open_zip(name, data, ".docx")
    types = content_types(name, archive, ".docx")
    refuse_macros(name, types, archive, ".docx")
    if WORD not in types:
        if EXCEL in types:
            raise UserError(f"{name}: an Excel workbook is a data form, not a report")
        raise UserError(f"{name}: not a Word (.docx) document")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        reader = _WordReader(document)
        lines, head = reader.read()
    except UserError:
        raise
    except (PackageNotFoundError, KeyError, ValueError, AttributeError, TypeError) as exc:
        raise UserError(f"{name}: not a readable Word file ({type(exc).__name__})") from None
    except Exception as exc:  # lxml's XMLSyntaxError and kin: a damaged part
        if type(exc).__module__.startswith("lxml"):
            raise UserError(f"{name}: not a readable Word file (damaged XML)") from None
        raise
    if reader.legacy_font or looks_legacy("\n".join(line.text for line in lines)):
        font = reader.legacy_font or ".VnTime"
        raise UserError(
            f"{name}: the text uses the legacy font {font} (TCVN3/VNI), not Unicode; convert "
            "it to Unicode (e.g. Unikey's converter) and send it again"
        )
    return Extracted("docx", lines, head)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIPPED = {f"{W}del", f"{W}moveFrom", f"{W}txbxContent", f"{W}delText", f"{W}instrText"}
_SKIPPED |= {"{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
_MASTHEAD = ("đảng cộng sản việt nam", "cộng hòa xã hội", "cộng hoà xã hội", "độc lập")
_SIGNATURE = ("nơi nhận", "tm.", "kt.", "tl.", "tuq.", "t/m", "k/t", "t/l", "(đã ký)")


def _on(element: Any, tag: str) -> bool | None:
    """A w:b-like toggle: True, False, or None when not set."""
    found = element.find(f"{W}{tag}") if element is not None else None
    if found is None:
        return None
    return found.get(f"{W}val", "true").lower() not in ("0", "false", "off", "none")


@dataclass
class _Style:
    bold: bool | None
    level: int | None
    num: tuple[str, int] | None
    based_on: str | None


class _WordReader:
    """One pass over a document's body: paragraphs, tables, numbering."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.legacy_font: str | None = None
        self.styles = self._styles()
        self.numbering = self._numbering()
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        self._fonts(document.styles.element)

    # styles and numbering ---------------------------------------------------------------

    def _styles(self) -> dict[str, _Style]:
        found: dict[str, _Style] = {}
        for style in self.document.styles.element.iter(f"{W}style"):
            sid = style.get(f"{W}styleId")
            if not sid:
                continue
            ppr, rpr = style.find(f"{W}pPr"), style.find(f"{W}rPr")
            named = style.find(f"{W}name")
            name = named.get(f"{W}val", "") if named is not None else ""
            level = None
            if name.lower().startswith("heading ") and name[8:].strip().isdigit():
                level = int(name[8:].strip())
            elif name.lower() == "title":
                level = 1
            outline = ppr.find(f"{W}outlineLvl") if ppr is not None else None
            if outline is not None and outline.get(f"{W}val", "").isdigit():
                value = int(outline.get(f"{W}val"))
                level = value + 1 if value < 9 else level
            based = style.find(f"{W}basedOn")
            found[sid] = _Style(
                _on(rpr, "b"),
                level,
                self._num_of(ppr),
                based.get(f"{W}val") if based is not None else None,
            )
        return found

    def _style(self, sid: str | None, attr: str) -> Any:
        seen = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            value = getattr(self.styles[sid], attr)
            if value is not None:
                return value
            sid = self.styles[sid].based_on
        return None

    @staticmethod
    def _num_of(ppr: Any) -> tuple[str, int] | None:
        numpr = ppr.find(f"{W}numPr") if ppr is not None else None
        if numpr is None:
            return None
        num, lvl = numpr.find(f"{W}numId"), numpr.find(f"{W}ilvl")
        num_id = num.get(f"{W}val") if num is not None else None
        ilvl = lvl.get(f"{W}val", "0") if lvl is not None else "0"
        return (num_id, int(ilvl) if ilvl.isdigit() else 0) if num_id else None

    def _numbering(self) -> dict[str, Any]:
        try:
            root = self.document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return {"abstract": {}, "num": {}}
        abstract: dict[str, dict[int, tuple[int, str, str, bool]]] = {}
        for a in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in a.iter(f"{W}lvl"):
                ilvl = _counter(lvl.get(f"{W}ilvl", "0"))
                start = lvl.find(f"{W}start")
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                levels[ilvl] = (
                    _counter(start.get(f"{W}val")) if start is not None else 1,
                    fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{W}val", "") if text is not None else "",
                    lvl.find(f"{W}isLgl") is not None,
                )
            abstract[a.get(f"{W}abstractNumId")] = levels
        nums: dict[str, tuple[str, dict[int, int]]] = {}
        for n in root.iter(f"{W}num"):
            ref = n.find(f"{W}abstractNumId")
            overrides = {}
            for o in n.iter(f"{W}lvlOverride"):
                start = o.find(f"{W}startOverride")
                if start is not None:
                    overrides[_counter(o.get(f"{W}ilvl", "0"))] = _counter(start.get(f"{W}val"))
            if ref is not None:
                nums[n.get(f"{W}numId")] = (ref.get(f"{W}val"), overrides)
        return {"abstract": abstract, "num": nums}

    def _label(self, num_id: str, ilvl: int) -> str:
        """The number Word shows for a paragraph of list ``num_id`` at level ``ilvl``
        (counted per abstract list, as Word continues lists that share one)."""
        entry = self.numbering["num"].get(num_id)
        if entry is None:
            return ""
        abstract_id, overrides = entry
        levels = self.numbering["abstract"].get(abstract_id, {})
        if ilvl not in levels or not 0 <= ilvl < 9:
            return ""
        counters = self.counters.setdefault(abstract_id, [None] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in overrides.items():
                if 0 <= level < 9:
                    counters[level] = start - 1
        start, fmt, text, legal = levels[ilvl]
        current = counters[ilvl]
        counters[ilvl] = start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return ""
        out = text
        for level in range(ilvl, -1, -1):
            spec = levels.get(level, (1, "decimal", "", False))
            value = counters[level] if counters[level] is not None else spec[0]
            out = out.replace(f"%{level + 1}", _format(value, "decimal" if legal else spec[1]))
        return out.strip()

    def _fonts(self, element: Any) -> None:
        if self.legacy_font:
            return
        for fonts in element.iter(f"{W}rFonts"):
            for key in ("ascii", "hAnsi"):
                font = fonts.get(f"{W}{key}") or ""
                if font.lower().startswith(_LEGACY_FONTS):
                    self.legacy_font = font
                    return

    # the body ---------------------------------------------------------------------------

    def read(self) -> tuple[list[Line], list[str]]:
        lines: list[Line] = []
        head: list[str] = []
        content_seen = False
        for element in self._blocks(self.document.element.body):
            if element.tag == f"{W}p":
                for line in self._paragraph(element):
                    lines.append(line)
                    content_seen = content_seen or bool(line.text.strip())
                lines.append(Line(""))
                continue
            rows = self._table(element)
            cell_lines = self._cell_lines(element)
            text = fold(" ".join(" ".join(r) for r in rows))
            if not content_seen and (
                any(m in text for m in _MASTHEAD) or (len(rows) <= 4 and "số" in text.split())
            ):
                head.extend(cell_lines)
                continue
            if _is_signature(cell_lines):
                continue
            lines.extend(Line(t, table=True) for t in markdown_table(rows))
            lines.append(Line(""))
            content_seen = True
        return lines, head

    def _blocks(self, parent: Any) -> Iterator[Any]:
        for child in parent:
            if child.tag in (f"{W}p", f"{W}tbl"):
                yield child
            elif child.tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent"):
                yield from self._blocks(child)

    def _runs_text(self, p: Any) -> tuple[str, bool]:
        """A paragraph's text without deletions, and whether every run with text is bold."""
        ppr = p.find(f"{W}pPr")
        pstyle = ppr.find(f"{W}pStyle") if ppr is not None else None
        style_id = pstyle.get(f"{W}val") if pstyle is not None else None
        style_bold = bool(self._style(style_id, "bold"))
        parts: list[str] = []
        all_bold = True
        any_text = False

        def walk(node: Any) -> None:
            nonlocal all_bold, any_text
            for child in node:
                tag = child.tag
                if not isinstance(tag, str) or tag in _SKIPPED:
                    continue
                if tag == f"{W}r":
                    rpr = child.find(f"{W}rPr")
                    text = _run_text(child)
                    if rpr is not None:
                        self._fonts(rpr)
                    if text.strip():
                        any_text = True
                        bold = _on(rpr, "b")
                        if bold is None and rpr is not None:
                            rstyle = rpr.find(f"{W}rStyle")
                            if rstyle is not None:
                                bold = self._style(rstyle.get(f"{W}val"), "bold")
                        if not (style_bold if bold is None else bold):
                            all_bold = False
                    parts.append(text)
                elif tag != f"{W}pPr":
                    walk(child)

        walk(p)
        return _CONTROL.sub("", "".join(parts)), all_bold and any_text

    def _paragraph(self, p: Any) -> list[Line]:
        ppr = p.find(f"{W}pPr")
        text, bold = self._runs_text(p)
        pstyle = ppr.find(f"{W}pStyle") if ppr is not None else None
        style_id = pstyle.get(f"{W}val") if pstyle is not None else None
        num = self._num_of(ppr) or self._style(style_id, "num")
        label = self._label(*num) if num is not None and num[0] != "0" else ""
        outline = ppr.find(f"{W}outlineLvl") if ppr is not None else None
        level = self._style(style_id, "level")
        if outline is not None and outline.get(f"{W}val", "").isdigit():
            value = int(outline.get(f"{W}val"))
            level = value + 1 if value < 9 else level
        pieces = [nfc(t).strip() for t in text.replace("\t", " ").split("\n")]
        if label and pieces and pieces[0]:
            pieces[0] = f"{label} {pieces[0]}"
        return [Line(" ".join(t.split()), bold=bold, style_level=level) for t in pieces if t]

    def _cell_text(self, tc: Any) -> str:
        texts = []
        for p in tc.iter(f"{W}p"):
            text, _bold = self._runs_text(p)
            if text.strip():
                texts.append(" ".join(nfc(text).split()))
        return " ".join(texts)

    def _cell_lines(self, tbl: Any) -> list[str]:
        """Every paragraph of a table, column after column (a masthead's left block
        before its right one)."""
        columns: dict[int, list[str]] = {}
        for tr in tbl.iter(f"{W}tr"):
            for i, tc in enumerate(tr.findall(f"{W}tc")):
                for p in tc.iter(f"{W}p"):
                    text, _bold = self._runs_text(p)
                    for piece in nfc(text).split("\n"):
                        if piece.strip():
                            columns.setdefault(i, []).append(" ".join(piece.split()))
        return [t for i in sorted(columns) for t in columns[i]]

    def _table(self, tbl: Any) -> list[list[str]]:
        rows = []
        for tr in tbl.findall(f"{W}tr"):
            row: list[str] = []
            for tc in tr.findall(f"{W}tc"):
                tcpr = tc.find(f"{W}tcPr")
                span, merged = 1, False
                if tcpr is not None:
                    grid = tcpr.find(f"{W}gridSpan")
                    if grid is not None and grid.get(f"{W}val", "1").isdigit():
                        span = max(1, min(int(grid.get(f"{W}val")), 64))
                    vmerge = tcpr.find(f"{W}vMerge")
                    merged = vmerge is not None and vmerge.get(f"{W}val", "continue") != "restart"
                row.append("" if merged else self._cell_text(tc))
                row.extend([""] * (span - 1))
            rows.append(row)
        return rows


def _run_text(run: Any) -> str:
    out = []
    for child in run:
        tag = child.tag
        if tag == f"{W}t":
            out.append(child.text or "")
        elif tag in (f"{W}tab", f"{W}ptab"):
            out.append(" ")
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
    return "".join(out)


def _is_signature(lines: list[str]) -> bool:
    return any(fold(t).startswith(_SIGNATURE) for t in lines)


MAX_COUNTER = 999
"""No report numbers its headings past this: a file's larger start value (Word's own
limit is 32767) is read as this, so no counter is ever spelt out at absurd length."""


def _counter(value: str | None) -> int:
    """A list's start value from the file (w:start, w:startOverride), bounded: 1 when it
    is not a number."""
    try:
        return max(0, min(int(value or "1"), MAX_COUNTER))
    except ValueError:
        return 1


def _format(value: int, fmt: str) -> str:
    """A list counter as Word shows it in format ``fmt`` (w:numFmt); a counter outside
    what the format spells out (Roman numerals to 89, letters to 999) is written in
    digits."""
    if not 1 <= value <= MAX_COUNTER or (fmt.endswith("Roman") and value > 89):
        return str(value)
    if fmt == "upperRoman":
        return roman(value)
    if fmt == "lowerRoman":
        return roman(value).lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = "abcdefghijklmnopqrstuvwxyz"[(value - 1) % 26] * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


# -- what a version holds ---------------------------------------------------------------


def version_sources(task_id: int) -> dict[int, dict[str, Any]]:
    """Per version of a task: how it was sent (type, file name, size, digest) and the
    header read from its top, for the pages and the API."""
    from services import db

    with db.reading() as session:
        return version_sources_in(session.connection(), task_id)


def version_sources_in(conn: Any, task_id: int) -> dict[int, dict[str, Any]]:
    """:func:`version_sources` on ``conn``, for a caller that reads more in one session."""
    from sqlalchemy import select

    from models import Submission

    s = Submission.__table__.c
    rows = conn.execute(
        select(s.version, s.source_type, s.source_name, s.source_size, s.source_sha256,
               s.header).where(s.task_id == task_id)
    ).all()  # fmt: skip
    return {
        r.version: {"type": r.source_type, "name": r.source_name, "size": r.source_size,
                    "sha256": r.source_sha256, "header": r.header,
                    "downloadable": r.source_type not in (None, "pasted")}
        for r in rows
    }  # fmt: skip


def source_file(task_id: int, version: int) -> tuple[str, str, bytes]:
    """A version's original file as sent: (file name, content type, bytes)."""
    from sqlalchemy import select

    from models import Submission, SubmissionSource
    from rules.errors import NotFound
    from services import db

    s, f = Submission.__table__.c, SubmissionSource.__table__.c
    with db.reading() as session:
        row = (
            session.connection()
            .execute(
                select(s.source_name, f.content_type, f.data)
                .join(SubmissionSource.__table__, f.submission_id == s.id)
                .where(s.task_id == task_id, s.version == version)
            )
            .first()
        )
    if row is None:
        raise NotFound(f"task {task_id} v{version} has no original file (typed or pasted)")
    return row.source_name or f"v{version}", row.content_type, bytes(row.data)


def compare(
    *,
    task_id: int | None = None,
    cycle: str | None = None,
    body: str | None = None,
    version: int | None = None,
) -> dict[str, Any]:
    """A version (default: the latest) against the one before it, section by section."""
    from sqlalchemy import select

    from models import Body, Cycle, Submission, Task
    from rules.errors import NotFound, UserError
    from rules.reading_diff import diff_sections
    from services import db
    from services.cycles import task_id_of
    from services.versions import V, join_terms

    s, t, c, b = (m.__table__.c for m in (Submission, Task, Cycle, Body))
    with db.reading() as session:
        tid = task_id_of(session, task_id=task_id, cycle=cycle, body=body)
        conn = session.connection()
        row = conn.execute(
            select(t.versions, V.outline, b.code)
            .select_from(
                join_terms(Task.__table__.join(Cycle.__table__, c.id == t.cycle_id), c).join(
                    Body.__table__, b.id == t.body_id
                )
            )
            .where(t.id == tid)
        ).first()
        if row is None:
            raise NotFound(f"unknown task: {tid}")
        wanted = version or row.versions
        if wanted < 1 or wanted > row.versions:
            raise NotFound(f"task {tid} has no version {wanted} (it has {row.versions})")
        if wanted == 1:
            raise UserError(f"version 1 of task {tid} is the first; there is nothing before it")
        pair = dict(
            conn.execute(
                select(s.version, s.sections).where(
                    s.task_id == tid, s.version.in_([wanted - 1, wanted])
                )
            ).all()
        )
    diffs = diff_sections(pair[wanted - 1], pair[wanted], row.outline)
    return {
        "task": tid,
        "body": row.code,
        "version": wanted,
        "previous": wanted - 1,
        "changed": [d.code for d in diffs if d.change != "same"],
        "sections": [d.as_dict() for d in diffs],
    }


def versions(task_id: int, *, with_text: bool = False, version: int | None = None) -> list[Any]:
    """The task's versions, newest first (or just ``version``), each with its review and
    attachments; the report text and sections only ``with_text`` (up to 2 MiB each)."""
    from services import db

    with db.reading() as session:
        return versions_in(session.connection(), task_id, with_text=with_text, version=version)


def versions_in(
    conn: Any, task_id: int, *, with_text: bool, version: int | None = None
) -> list[dict[str, Any]]:
    from sqlalchemy import and_, select

    from models import Attachment, Review, Submission

    s, a, r = Submission.__table__.c, Attachment.__table__.c, Review.__table__.c  # type: ignore[attr-defined]
    wanted = s.task_id == task_id
    if version is not None:
        wanted = and_(wanted, s.version == version)
    reviews = {
        rv.submission_id: rv
        for rv in conn.execute(
            select(
                r.submission_id, r.decision, r.comment, r.new_due_date, r.reviewed_at, r.reviewer
            )
            .join(Submission.__table__, s.id == r.submission_id)  # type: ignore[attr-defined]
            .where(wanted)
        )
    }
    attachments: dict[int, list[dict[str, Any]]] = {}
    for at in conn.execute(
        select(a.id, a.submission_id, a.filename, a.content_type, a.size)
        .join(Submission.__table__, s.id == a.submission_id)  # type: ignore[attr-defined]
        .where(wanted)
        .order_by(a.id)
    ):
        attachments.setdefault(at.submission_id, []).append(
            {"id": at.id, "filename": at.filename, "content_type": at.content_type, "size": at.size}
        )
    text = (s.content, s.sections) if with_text else ()
    found = []
    for sub in conn.execute(
        select(
            s.id, s.version, s.submitted_at, s.submitted_by, s.due_at, s.on_time, s.sha256, *text
        )
        .where(wanted)
        .order_by(s.version.desc())
    ):
        review = reviews.get(sub.id)
        item = {
            "version": sub.version,
            "submitted_at": sub.submitted_at,
            "submitted_by": sub.submitted_by,
            "due_at": sub.due_at,
            "on_time": sub.on_time,
            "sha256": sub.sha256,
            "attachments": attachments.get(sub.id, []),
            "review": None
            if review is None
            else {
                "decision": review.decision,
                "comment": review.comment,
                "new_due_date": review.new_due_date,
                "reviewed_at": review.reviewed_at,
                "reviewer": review.reviewer,
            },
        }
        if with_text:
            item |= {"content": sub.content, "sections": sub.sections}
        found.append(item)
    return found


def task_versions(
    *,
    task_id: int | None = None,
    cycle: str | None = None,
    body: str | None = None,
    version: int | None = None,
) -> dict[str, Any]:
    """``phoihop tasks versions``: a task's versions, oldest first, as kept (nothing is
    overwritten), with the file each came in; with ``version``, that one's text too
    (the extracted report review and synthesis read). An unknown version is NotFound."""
    from sqlalchemy import select

    from models import Body, Task
    from rules.errors import NotFound
    from services import db
    from services.cycles import task_id_of

    with db.reading() as session:  # one snapshot: the list and its sources agree
        tid = task_id_of(session, task_id=task_id, cycle=cycle, body=body)
        code = session.execute(
            select(Body.code).join(Task, Task.body_id == Body.id).where(Task.id == tid)
        ).scalar_one()
        conn = session.connection()
        found = versions_in(conn, tid, with_text=version is not None, version=version)
        if version is not None and not found:
            raise NotFound(f"task {tid} has no version {version}")
        sources = version_sources_in(conn, tid)
    listed = [
        v | {"source": sources[v["version"]]["type"], "source_name": sources[v["version"]]["name"]}
        for v in reversed(found)
    ]
    return {"task": tid, "body": code, "versions": listed}
