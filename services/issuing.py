"""Issuing documents: the templates, the number register, who signs, the .docx.

- **Templates** (:func:`template`): a document is a docxtpl (Jinja) render of a
  .docx template: ``party-report``, ``party-letter``, ``state-report``,
  ``state-letter``. The defaults ship in ``documents/templates/`` (made by
  ``tools/make_templates.py``); an office replaces any of them with its own by
  putting a file of the same name in ``PHOIHOP_TEMPLATES_DIR``. A template is
  checked when loaded: the placeholders its kind needs must be there, else one
  line names the file and what it lacks.
- **The register** (:func:`allocate`): each number is a row of
  ``register_entry`` under a unique key (issuer, sequence, series, number),
  written in the issuing transaction. The next number comes from the sequence's
  ``number_series`` row, which the transaction updates first (``last = last +
  1``): on PostgreSQL that row lock queues two issuers of the same sequence, on
  SQLite the write lock does. Numbers the office entered from its own e-office
  system (``--number 45``) are registered too and are skipped by the counter.
- **Signers** (:func:`signer`): the office holder of the issuing body on the
  document's date (``office_holder``, dated); a body with no holder on record for
  that date falls back to its current head.
- **Rendering** (:func:`render`): a :class:`rules.documents.Paper` into bytes;
  the content blocks become a sub-document with direct formatting (justified,
  1 cm first line, 6 pt after), so they look right in any office's template.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models import Body, NumberSeries, OfficeHolder, RegisterEntry
from rules import numbering
from rules.documents import (
    DASH_LEVEL,
    HEADING,
    ITEM,
    LETTER_LEVEL,
    NOTE,
    PLUS_LEVEL,
    SUB_LEVEL,
    Block,
    Holder,
    Issuer,
    Paper,
    Table,
    guess_kind,
    signer_on,
)
from rules.errors import UserError
from services import settings

DEFAULTS = Path(__file__).resolve().parent.parent / "documents" / "templates"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REQUIRED = {
    "report": {"number_line", "date_line", "summary", "body", "recipients", "signer_title",
               "signer_name"},
    "letter": {"number_line", "date_line", "subject_line", "body", "recipients",
               "signer_title", "signer_name"},
}  # fmt: skip
FIRST_LINE_TWIPS = 567  # 1 cm
AFTER_PT = 6


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- templates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    path: Path
    kind: str
    digest: str

    @property
    def label(self) -> str:
        """What a document records about the template it came from."""
        return f"{self.path.name} sha256:{self.digest[:16]}"


_checked: dict[tuple[str, int, int], Template] = {}
_lock = threading.Lock()


def template_path(regime: str, kind: str) -> Path:
    """The office's template of that name in ``PHOIHOP_TEMPLATES_DIR``, else the default."""
    numbering.check_regime(regime)
    name = f"{regime}-{kind}.docx"
    folder = settings.current().templates_dir
    if folder is not None:
        candidate = folder.expanduser() / name
        if candidate.is_file():
            return candidate
    return DEFAULTS / name


def template(regime: str, kind: str) -> Template:
    """The template to render with, checked once per file version."""
    path = template_path(regime, kind)
    try:
        stat = path.stat()
    except OSError:
        raise UserError(f"document template {path} is missing") from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _lock:
        found = _checked.get(key)
    if found is None:
        found = check_template(path, kind)
        with _lock:
            _checked[key] = found
    return found


def check_template(path: Path, kind: str) -> Template:
    """Refuse a template that is no .docx, or lacks a placeholder its kind needs."""
    from docxtpl import DocxTemplate

    data = path.read_bytes()
    try:
        names = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables()
    except Exception as exc:  # a broken zip, bad XML, a Jinja syntax error
        raise UserError(f"document template {path} cannot be read: {exc}") from None
    missing = sorted(REQUIRED[kind] - names)
    if kind == "letter" and not {"recipient_single", "recipient_list"} & names:
        missing.append("recipient_single or recipient_list")
    if missing:
        shown = ", ".join("{{ " + m + " }}" for m in missing)
        raise UserError(
            f"document template {path} lacks {shown}; start from {DEFAULTS / path.name}"
        )
    return Template(path, kind, sha256(data))


# -- who issues and who signs ------------------------------------------------------------


def regime_of(body: Body) -> str:
    return body.kind or guess_kind(body.name, body.code)


def issuer_of(session: Session, body: Body) -> Issuer:
    """The body as its masthead and numbers need it: its parent's name, its place (its
    own, else the nearest ancestor's), its abbreviation."""
    parent = _body(session, body.parent_code)
    place, up, seen = body.place, parent, {body.code}
    while not place and up is not None and up.code not in seen:
        seen.add(up.code)
        place = up.place
        up = _body(session, up.parent_code)
    return Issuer(
        code=body.code,
        name=body.name,
        kind=regime_of(body),
        symbol=numbering.issuer_symbol(body.symbol, body.code),
        place=place,
        parent_name=parent.name if parent is not None else None,
        short_name=body.short_name,
        number_series=body.number_series,
    )


def _body(session: Session, code: str | None) -> Body | None:
    if not code:
        return None
    return session.exec(select(Body).where(Body.code == code)).scalars().first()


def holders(session: Session, body_id: int) -> list[Holder]:
    rows = session.exec(select(OfficeHolder).where(OfficeHolder.body_id == body_id)).scalars()
    return [
        Holder(
            name=h.name,
            title=h.title,
            role=h.role,
            authority=tuple((h.authority or "").splitlines()),
            valid_from=h.valid_from,
            valid_to=h.valid_to,
        )
        for h in rows
    ]


def signer(session: Session, body: Body, day: date) -> tuple[Holder | None, str | None]:
    """Who signs for ``body`` on ``day``, and the head's title (what a deputy signs for).

    Office holders on record decide; with none for that day, the body's current
    head (its row) signs. A report is frozen when issued, so a later change of
    head never changes a document already issued."""
    on_record = holders(session, body.id)
    chosen = signer_on(on_record, day)
    heads = [h for h in on_record if h.role == "head" and h.holds_on(day)]
    head_title = heads[0].title if heads else body.head_title
    if chosen is not None:
        return chosen, head_title
    if body.head_name:
        return Holder(body.head_name, body.head_title or "Thủ trưởng cơ quan"), head_title
    return None, head_title


@dataclass(frozen=True)
class HolderImport:
    created: int
    updated: int
    unchanged: int

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def import_holders(specs: Sequence[Any], *, now: datetime, actor: str) -> HolderImport:
    """Record office holders (rules.specs.SignerSpec), all-or-nothing; a row already on
    record (same body, role, name and start) gets its end date and title updated."""
    from services import db

    created = updated = unchanged = 0
    with db.transaction() as session:
        codes = {s.body for s in specs}
        bodies = {
            b.code: b
            for b in session.exec(select(Body).where(Body.code.in_(codes))).scalars().all()
        }
        missing = sorted(codes - set(bodies))
        if missing:
            raise UserError(f"unknown body code(s): {', '.join(missing)}")
        for spec in specs:
            body = bodies[spec.body]
            authority = "\n".join(x.strip() for x in (spec.authority or "").split("|") if x.strip())
            row = (
                session.exec(
                    select(OfficeHolder).where(
                        OfficeHolder.body_id == body.id,
                        OfficeHolder.role == spec.role,
                        OfficeHolder.name == spec.name,
                        OfficeHolder.valid_from == spec.valid_from,
                    )
                )
                .scalars()
                .first()
            )
            if row is None:
                session.add(
                    OfficeHolder(
                        body_id=body.id, role=spec.role, name=spec.name, title=spec.title,
                        authority=authority or None, valid_from=spec.valid_from,
                        valid_to=spec.valid_to, created_at=now,
                    )
                )  # fmt: skip
                created += 1
            elif (row.title, row.authority, row.valid_to) == (
                spec.title, authority or None, spec.valid_to,
            ):  # fmt: skip
                unchanged += 1
                continue
            else:
                row.title, row.authority = spec.title, authority or None
                row.valid_to = spec.valid_to
                session.add(row)
                updated += 1
            db.audit(
                session, at=now, actor=actor, action="body.office_holder", body=spec.body,
                name=spec.name, role=spec.role, title=spec.title,
                valid_from=spec.valid_from, valid_to=spec.valid_to,
            )  # fmt: skip
    return HolderImport(created, updated, unchanged)


def list_holders(code: str | None = None) -> list[dict[str, Any]]:
    from services import db

    with db.reading() as session:
        query = (
            select(OfficeHolder, Body.code)
            .join(Body, Body.id == OfficeHolder.body_id)
            .order_by(Body.code, OfficeHolder.valid_from)
        )
        if code:
            query = query.where(Body.code == code)
        return [
            {
                "body": body_code,
                "name": h.name,
                "title": h.title,
                "role": h.role,
                "authority": (h.authority or "").splitlines(),
                "valid_from": h.valid_from,
                "valid_to": h.valid_to,
            }
            for h, body_code in session.exec(query).all()
        ]


# -- the register ------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    number: int
    symbol: str  # "45-BC/BTGTU"
    entered: bool


def allocate(
    session: Session,
    issuer: Issuer,
    issuer_id: int,
    type_code: str,
    issued_on: date,
    *,
    now: datetime,
    actor: str,
    entered: int | None = None,
    document_id: int | None = None,
) -> Number:
    """The next number of the issuer's sequence, registered in this transaction; or the
    number the office ``entered``, refused if that sequence already used it."""
    regime = issuer.kind
    seq = numbering.sequence_of(regime, type_code, issued_on, issuer.number_series)
    register = RegisterEntry.__table__.c
    used = (
        select(register.number).where(
            register.issuer_id == issuer_id,
            register.sequence == seq.name,
            register.series == seq.series,
        )  # fmt: skip
    )
    conn = session.connection()
    if entered is not None:
        number = entered
        if conn.execute(used.where(register.number == number)).first():
            shown = numbering.symbol(regime, number, type_code, issuer.symbol)
            raise UserError(f"number {shown} is already in the register; give another")
    else:
        number = _draw(conn, issuer_id, seq, used)
    text = numbering.symbol(regime, number, type_code, issuer.symbol)
    try:
        with session.begin_nested():
            conn.execute(
                RegisterEntry.__table__.insert().values(
                    issuer_id=issuer_id, sequence=seq.name, series=seq.series, number=number,
                    type_code=type_code, symbol=text, issued_on=issued_on,
                    entered=entered is not None, document_id=document_id, created_at=now,
                    created_by=actor,
                )
            )  # fmt: skip
    except IntegrityError:  # another transaction registered it first (an entered number)
        raise UserError(f"number {text} is already in the register; give another") from None
    return Number(number, text, entered is not None)


def _draw(conn: Any, issuer_id: int, seq: numbering.NumberSequence, used: Any) -> int:
    """``last + 1`` of the sequence's counter, past any number entered by hand; the
    counter row stays locked (PostgreSQL) until the transaction ends."""
    table = NumberSeries.__table__
    c = table.c
    from services import db

    where = (c.issuer_id == issuer_id) & (c.sequence == seq.name) & (c.series == seq.series)
    conn.execute(
        db.upsert(conn)(table)
        .values(issuer_id=issuer_id, sequence=seq.name, series=seq.series, last=0)
        .on_conflict_do_nothing(index_elements=["issuer_id", "sequence", "series"])
    )
    number = conn.execute(update(table).where(where).values(last=c.last + 1).returning(c.last))
    number = number.scalar_one()
    taken = set(conn.execute(used.where(used.selected_columns[0] >= number)).scalars())
    if number in taken:
        while number in taken:
            number += 1
        conn.execute(update(table).where(where).values(last=number))
    return number


def entries(issuer_code: str | None = None) -> list[dict[str, Any]]:
    """The register, newest first (for ``phoihop letters list`` and the tests)."""
    from services import db

    with db.reading() as session:
        query = (
            select(RegisterEntry, Body.code)
            .join(Body, Body.id == RegisterEntry.issuer_id)
            .order_by(RegisterEntry.id.desc())
        )
        if issuer_code:
            query = query.where(Body.code == issuer_code)
        return [
            {
                "issuer": code,
                "symbol": e.symbol,
                "number": e.number,
                "series": e.series,
                "sequence": e.sequence,
                "issued_on": e.issued_on,
                "entered": e.entered,
                "document": e.document_id,
            }  # fmt: skip
            for e, code in session.exec(query).all()
        ]


# -- rendering ---------------------------------------------------------------------------


def render(paper: Paper, *, title: str | None = None) -> tuple[bytes, Template]:
    """``paper`` rendered into its regime's template of its kind: the .docx bytes."""
    from docxtpl import DocxTemplate

    chosen = template(paper.regime, paper.kind)
    tpl = DocxTemplate(str(chosen.path))
    context = paper.context()
    context["body"] = _content(tpl, paper.body)
    context["annex"] = _annex(tpl, paper) if paper.annex else ""
    tpl.render(context, autoescape=True)
    props = tpl.docx.core_properties
    props.title = title or paper.summary
    props.author = paper.issuer_line
    props.comments = "phoihop"
    buffer = io.BytesIO()
    tpl.save(buffer)
    return buffer.getvalue(), chosen


def _style(doc: Any, name: str) -> str | None:
    try:
        doc.styles[name]  # noqa: B018
    except KeyError:
        return None
    return name


def _paragraph(sub: Any, block: Block) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, Twips

    heading = block.kind == HEADING
    styles = sub.subdocx if hasattr(sub, "subdocx") else sub
    style = _style(sub.docx, "PH Heading" if heading else "PH Body")
    paragraph = styles.add_paragraph(style=style)
    fmt = paragraph.paragraph_format
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Twips(FIRST_LINE_TWIPS)
    fmt.space_after = Pt(AFTER_PT)
    if heading:
        fmt.space_before = Pt(6)
        fmt.keep_with_next = True
    run = paragraph.add_run(block.plain())
    run.font.size = Pt(14)
    if heading:
        run.bold = block.level <= SUB_LEVEL
        run.italic = block.level in (SUB_LEVEL, LETTER_LEVEL)
    elif block.kind == NOTE:
        run.italic = True
    elif block.kind == ITEM and block.level in (DASH_LEVEL, PLUS_LEVEL):
        pass


def _content(tpl: Any, blocks: Sequence[Block]) -> Any:
    sub = tpl.new_subdoc()
    for block in blocks:
        _paragraph(sub, block)
    return sub


def _annex(tpl: Any, paper: Paper) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    from rules.documents import roman

    sub = tpl.new_subdoc()
    doc = sub.subdocx
    count = len(paper.annex)
    for index, table in enumerate(paper.annex, start=1):
        if index > 1:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for text, bold, italic in (
            ("Phụ lục" if count == 1 else f"Phụ lục {roman(index)}", True, False),
            (table.title, True, False),
            (paper.annex_note or "", False, True),
        ):
            if not text:
                continue
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(6)
            run = p.add_run(text)
            run.bold, run.italic = bold, italic
            run.font.size = Pt(14)
        _grid(doc, table)
        if table.note:
            p = doc.add_paragraph()
            p.paragraph_format.space_before = Pt(6)
            p.add_run(table.note).font.size = Pt(13)
    return sub


def _grid(doc: Any, table: Table) -> None:
    """A data table: grid borders, the header row repeated on every page (w:tblHeader)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    widths = [Cm(w) for w in table.widths_cm]  # each cell's, set as it is filled (one pass)
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.header))
    with contextlib.suppress(KeyError, ValueError):  # an office template without it
        grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    tr_pr = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    # zip over the rows: python-docx's ``rows[r]`` builds the list of every row each time,
    # which over a national annex (50,000 bodies) is quadratic.
    for r, (row, values) in enumerate(zip(grid.rows, (table.header, *table.rows), strict=True)):
        for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            if widths:
                cell.width = widths[c]
            p = cell.paragraphs[0]
            short = r == 0 or (len(value) < 12 and c != 1)  # names and notes read left
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if short else WD_ALIGN_PARAGRAPH.LEFT
            run = p.add_run(value)
            run.font.size = Pt(12)
            run.bold = r == 0
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
