"""Bodies and programs: the reference data cycles are opened from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import Session, select

from models import AuditRecord, Body, Program, ProgramBody
from rules import adhoc
from rules.errors import Conflict, NotFound, UserError
from rules.org import check_tree
from rules.schedule import anchored, has_start
from rules.specs import BodySpec, ProgramSpec
from rules.timezone import local_date
from services import bulk, db, versions

# The body's own fields, as the operator's file states them (its code is the key;
# its parent is stored as parent_code; a merger is a Succession, services.succession).
MERGER_FIELDS = ("merged_into", "merged_on", "merger_decision")
BODY_FIELDS = tuple(
    name for name in BodySpec.model_fields if name not in ("code", "parent", *MERGER_FIELDS)
)


@dataclass(frozen=True)
class ImportResult:
    created: list[str]
    updated: list[str]
    unchanged: list[str]
    merged: list[dict[str, Any]] = field(default_factory=list)  # mergers newly recorded
    handed_over: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "merged": self.merged, "handed_over": self.handed_over}  # fmt: skip


def import_bodies(specs: Sequence[Any], *, now: datetime, actor: str) -> ImportResult:
    """Create or update bodies by code, all-or-nothing; each change is audited.

    ``specs``: validated bodies (:class:`rules.specs.BodySpec`, or the lighter
    :data:`rules.specs.BodyRow` the file loader gives), read by field name.

    A parent must be in the file or already registered, and the tree as it
    would stand afterwards must have no loop. A row with ``merged_into`` records a
    merger (services.succession.record: checked, audited, handed over if its day has
    come) in the same transaction. Set-based: the stored bodies are
    read as plain rows, and the new rows, the changes and their audit records
    are each written with one statement, so 50,000 bodies take seconds.
    """
    columns = [Body.__table__.c[name] for name in _STORED]
    with bulk.collector_paused(), db.transaction() as session:
        conn = session.connection()
        existing = {row[0]: row for row in conn.execute(select(*columns))}
        known = set(existing) | {s.code for s in specs}
        for spec in specs:
            if spec.parent and spec.parent not in known:
                raise UserError(f"body {spec.code}: unknown parent body {spec.parent}")
        check_tree({code: row[-1] for code, row in existing.items()} | {
            s.code: s.parent for s in specs
        })  # fmt: skip
        created, updated, unchanged = [], [], []
        inserts, changes, audits = [], [], []
        for spec in specs:
            values = [getattr(spec, name) for name in BODY_FIELDS] + [spec.parent]
            row = existing.get(spec.code)
            if row is None:
                inserts.append((spec.code, *values, now))
                created.append(spec.code)
                audits.append((now, actor, "body.created", None, None, {"code": spec.code}))
                continue
            changed = {
                k: [old, new]
                for k, old, new in zip(_CHANGED, row[1:], values, strict=True)
                if old != new
            }
            if not changed:
                unchanged.append(spec.code)
                continue
            changes.append((*values, now, spec.code))
            updated.append(spec.code)
            detail = db.jsonable({"code": spec.code, "changes": changed})  # set-based: not db.audit
            audits.append((now, actor, "body.updated", None, None, detail))
        # Plain tuples straight to the driver (services.bulk): 50,000 bodies in seconds.
        table = Body.__table__
        bulk.insert(conn, table, (*_STORED, "updated_at"), inserts)
        bulk.update(
            conn, table, "code", [f"{c} = {{}}" for c in (*_CHANGED, "updated_at")], changes
        )
        bulk.insert(conn, AuditRecord.__table__, _AUDIT, audits)
        merged, handed = _mergers(session, specs, now=now, actor=actor)
    return ImportResult(created, updated, unchanged, merged, handed)


def _mergers(
    session: Session, specs: Sequence[Any], *, now: datetime, actor: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The mergers the file states, recorded and put in effect (services.succession)."""
    from services import succession

    links = [
        succession.Link(s.code, s.merged_into, s.merged_on, s.merger_decision)
        for s in specs
        if s.merged_into
    ]
    if not links:
        return [], []
    recorded = succession.record(session, links, now=now, actor=actor).recorded
    handed = succession.hand_over(session, now=now, actor=actor) if recorded else []
    return [link.as_dict() for link in recorded], handed


_CHANGED = (*BODY_FIELDS, "parent_code")
_AUDIT = ("at", "actor", "action", "cycle_id", "task_id", "detail")
_STORED = ("code", *BODY_FIELDS, "parent_code")  # parent_code last: the tree check reads it


def body_by_code(session: Session, code: str) -> Body:
    body = session.exec(select(Body).where(Body.code == code)).first()
    if body is None:
        raise NotFound(f"unknown body: {code}")
    return body


def list_bodies() -> list[Body]:
    with db.reading() as session:
        return list(session.exec(select(Body).order_by(Body.level, Body.code)).all())


def add_program(spec: ProgramSpec, *, now: datetime, actor: str) -> Program:
    """Register a program; every body it names must exist."""
    with db.transaction() as session:
        if session.exec(select(Program).where(Program.code == spec.code)).first():
            raise Conflict(f"program {spec.code} already exists")
        coordinator = body_by_code(session, spec.coordinator)
        codes = spec.bodies
        conn = session.connection()
        table = Body.__table__
        bodies = dict(conn.execute(select(table.c.code, table.c.id)).all())
        missing = [c for c in codes if c not in bodies]
        if missing:
            raise NotFound(f"program {spec.code}: unknown body code(s): {', '.join(missing)}")
        feeds = _fed_program(session, spec, bodies) if spec.feeds else None
        leadership = spec.leadership
        program = Program(
            code=spec.code,
            title=spec.title,
            legal_basis=spec.legal_basis,
            coordinator_id=coordinator.id,
            period_kind=spec.period,
            schedule=anchored(spec.schedule, local_date(now)) if spec.schedule else None,
            feeds_program_id=feeds.id if feeds else None,
            parent_extension=spec.parent_extension,
            leadership_name=leadership.name if leadership else None,
            leadership_email=leadership.email if leadership else None,
            created_at=now,
        )
        session.add(program)
        session.flush()
        # Version 1: the only place its terms are kept (services.versions).
        versions.settle(session, program, versions.terms_of_spec(spec), now=now)
        conn.execute(
            insert(ProgramBody.__table__),
            [
                {"program_id": program.id, "body_id": bodies[code], "position": position}
                for position, code in enumerate(codes)
            ],
        )
        if spec.forms:  # its data forms (biểu mẫu), kept with it
            from models import ProgramForm
            from services.forms import form_rows

            conn.execute(insert(ProgramForm.__table__), form_rows(program.id, spec.forms))
        db.audit(
            session, at=now, actor=actor, action="program.created", code=spec.code,
            feeds=feeds.code if feeds else None,
        )  # fmt: skip
    return program


@dataclass(frozen=True)
class ProgramUpdated:
    """What ``program update`` did: the version cycles open under from now on."""

    code: str
    version: int
    created: bool  # False: the file stated the current terms, nothing was written
    changed: list[str]  # the terms and fields that changed
    added_bodies: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "version": self.version, "created": self.created,
                "changed": self.changed, "added_bodies": self.added_bodies}  # fmt: skip


def update_program(spec: ProgramSpec, *, now: datetime, actor: str) -> ProgramUpdated:
    """A program's new terms, for the cycles opened from now on (services.versions).

    The same file as ``program add``. Its outline, ladder, working days and cut-off
    day make a new version when they differ from the current one; cycles already
    opened keep theirs. Its title, legal basis, leadership and parent-extension
    policy change in place (they describe the program; no deadline or reading of a
    report depends on them); bodies it adds take part from the next cycle; a changed
    schedule is anchored on today. A program keeps its coordinator, kind of period,
    program above and forms, and its bodies (a cycle's report lists them): a file
    changing those is refused. One audit record; the same file twice writes nothing.
    """
    with db.transaction() as session:
        program = program_by_code(session, spec.code)
        if program.period_kind == adhoc.KIND:
            raise UserError(
                f"program {program.code} holds ad-hoc requests: each request states its own "
                "outline and ladder (phoihop request open)"
            )
        coordinator = body_by_code(session, spec.coordinator)
        kept = _kept(session, program, spec, coordinator)
        if spec.feeds:  # its outline must still hold what the program above requires
            _fed_program(session, spec, {spec.coordinator: coordinator.id})
        conn = session.connection()
        member = ProgramBody.__table__.c
        taking_part = list(
            conn.execute(
                select(Body.code)
                .join(ProgramBody, ProgramBody.body_id == Body.id)
                .where(member.program_id == program.id)
                .order_by(member.position)
            ).scalars()
        )
        removed = [c for c in taking_part if c not in spec.bodies]
        if removed:
            raise UserError(
                f"program {program.code}: bodies {', '.join(removed)} take part in its cycles "
                "and cannot be removed by an update"
            )
        added = [c for c in spec.bodies if c not in taking_part]
        ids = dict(conn.execute(select(Body.code, Body.id).where(Body.code.in_(added))).all())
        missing = [c for c in added if c not in ids]
        if missing:
            raise NotFound(f"program {spec.code}: unknown body code(s): {', '.join(missing)}")
        before = versions.terms_dict(versions.latest(session, program.id))
        terms = versions.terms_of_spec(spec)
        version, created = versions.settle(session, program, terms, now=now)
        changed = versions.changed_terms(before, terms) if created else []
        fields = {
            "title": spec.title, "legal_basis": spec.legal_basis,
            "parent_extension": spec.parent_extension,
            "leadership_name": spec.leadership.name if spec.leadership else None,
            "leadership_email": spec.leadership.email if spec.leadership else None,
        }  # fmt: skip
        in_place = {k: [getattr(program, k), v] for k, v in fields.items()
                    if getattr(program, k) != v}  # fmt: skip
        if not _same_rule(program.schedule, spec.schedule):
            schedule = anchored(spec.schedule, local_date(now)) if spec.schedule else None
            in_place["schedule"] = [program.schedule, schedule]
        for name, (_, value) in in_place.items():
            setattr(program, name, value)
        if added:
            start = len(taking_part)
            conn.execute(
                insert(ProgramBody.__table__),
                [{"program_id": program.id, "body_id": ids[c], "position": start + i}
                 for i, c in enumerate(added)],
            )  # fmt: skip
        if not (created or in_place or added):
            return ProgramUpdated(program.code, version.version, False, [], [])
        session.add(program)
        db.audit(
            session, at=now, actor=actor, action="program.updated", code=program.code,
            version=version.version, new_version=created, terms=changed,
            fields=in_place,
            added_bodies=added, kept=kept,
        )  # fmt: skip
        return ProgramUpdated(program.code, version.version, created, [*changed, *in_place], added)


def _same_rule(stored: str | None, given: str | None) -> bool:
    """Whether the file's schedule is the stored one (which ``anchored`` gave a DTSTART)."""
    if not given or not stored:
        return not given and not stored

    def body(rule: str) -> str:
        lines = [ln.strip() for ln in rule.strip().splitlines()]
        lines = [ln for ln in lines if not ln.upper().startswith("DTSTART")]
        return "\n".join(ln.removeprefix("RRULE:") for ln in lines).upper()

    return given.strip() == stored if has_start(given) else body(given) == body(stored)


def _kept(session: Session, program: Program, spec: ProgramSpec, coordinator: Body) -> list[str]:
    """Refuse a file that changes what a program keeps; the names it kept, for the audit."""
    if coordinator.id != program.coordinator_id:
        raise UserError(
            f"program {program.code}: its coordinator cannot change (it is not "
            f"{spec.coordinator}); register a new program"
        )
    if spec.period != program.period_kind:
        raise UserError(
            f"program {program.code} reports by {program.period_kind}, not {spec.period}; "
            "register a new program"
        )
    feeds = session.get(Program, program.feeds_program_id) if program.feeds_program_id else None
    if (feeds.code if feeds else None) != spec.feeds:
        raise UserError(f"program {program.code}: the program it feeds cannot change by an update")
    from services.forms import form_rows, stored_forms

    stored = [f["digest"] for f in stored_forms(session.connection(), program.id)]
    if stored != [r["digest"] for r in form_rows(program.id, spec.forms)]:
        raise UserError(
            f"program {program.code}: its data forms cannot change by an update "
            "(reports already sent carry them)"
        )
    return ["coordinator", "period", "feeds", "forms"]


def _fed_program(session: Session, spec: ProgramSpec, bodies: dict[str, int]) -> Program:
    """The program ``spec`` feeds, checked so that its cycles can open under it: the
    same kind of period (a child cycle is for its parent's period), its coordinator
    taking part there (else no cycle of it would ever open), and every section the
    program above requires in its outline (its report is read against that outline)."""
    fed = session.exec(select(Program).where(Program.code == spec.feeds)).first()
    if fed is None:
        raise NotFound(f"program {spec.code}: feeds unknown program {spec.feeds}")
    if fed.period_kind != spec.period:
        raise UserError(
            f"program {spec.code} reports by {spec.period} but feeds {fed.code}, which reports "
            f"by {fed.period_kind}: a child cycle is for its parent's period"
        )
    taking_part = session.exec(
        select(ProgramBody.id).where(
            ProgramBody.program_id == fed.id, ProgramBody.body_id == bodies[spec.coordinator]
        )
    ).first()
    if taking_part is None:
        raise UserError(
            f"program {spec.code} feeds {fed.code}, but its coordinator {spec.coordinator} "
            f"is not one of {fed.code}'s bodies: add it there first"
        )
    own = {s.code for s in spec.outline}
    required = versions.latest(session, fed.id).outline  # what its next cycle reads against
    lacking = [s for s in required if s.get("required", True) and s["code"] not in own]
    if lacking:
        names = "; ".join(f"{s['code']}. {s['title']}" for s in lacking)
        raise UserError(
            f"program {spec.code} feeds {fed.code}, whose outline requires {names}: "
            "give the outline those sections, with the same codes"
        )
    return fed


def program_by_code(session: Session, code: str) -> Program:
    program = session.exec(select(Program).where(Program.code == code)).first()
    if program is None:
        raise NotFound(f"unknown program: {code}")
    return program


def body_dict(b: Body) -> dict[str, Any]:
    """A body as the CLI's and the API's JSON show it."""
    return {
        "code": b.code,
        "name": b.name,
        "level": b.level,
        "parent": b.parent_code,
        "head_name": b.head_name,
        "head_title": b.head_title,
        "head_email": b.head_email,
        "focal_name": b.focal_name,
        "focal_email": b.focal_email,
        "valid_from": b.valid_from,
        "valid_to": b.valid_to,
    }


def program_dicts() -> list[dict[str, Any]]:
    """Every program with its coordinator's code, its number of bodies and its current
    terms (its latest version's, all read in one query), as JSON shows it."""
    with db.reading() as session:  # one snapshot: every program listed has its version
        programs = _programs(session)
        current = versions.latest_of(session)
    feeds = {p.id: p.code for p, _, _ in programs}
    return [
        {
            "code": p.code,
            "version": terms.version,
            "title": p.title,
            "legal_basis": p.legal_basis,
            "coordinator": coordinator,
            "period": p.period_kind,
            "schedule": p.schedule,
            "bodies": n,
            "working_days": {
                "provide": terms.provide_working_days,
                "review": terms.review_working_days,
                "synthesis": terms.synthesis_working_days,
                "margin": terms.margin_working_days,
            },
            "feeds": feeds.get(p.feeds_program_id),
            "parent_extension": p.parent_extension,
            "outline": terms.outline,
            "escalation": terms.escalation,
        }
        for p, coordinator, n in programs
        for terms in (current[p.id],)
    ]


def list_programs() -> list[tuple[Program, str, int]]:
    """Programs with their coordinator's code and number of participating bodies."""
    with db.reading() as session:
        return _programs(session)


def _programs(session: Session) -> list[tuple[Program, str, int]]:
    """:func:`list_programs` in the caller's session (:func:`program_dicts` reads their
    versions in the same snapshot)."""
    rows = session.exec(
        select(Program, Body.code, func.count(ProgramBody.id))
        .join(Body, Body.id == Program.coordinator_id)
        .join(ProgramBody, ProgramBody.program_id == Program.id)
        .group_by(Program.id, Body.code)
        .order_by(Program.code)
    ).all()
    return [(p, c, n) for p, c, n in rows]


def scheduled_programs() -> list[tuple[str, str, str]]:
    """(program code, period kind, RRule) for every program that has a schedule."""
    with db.reading() as session:
        rows = session.exec(
            select(Program.code, Program.period_kind, Program.schedule).where(
                Program.schedule.is_not(None)
            )
        ).all()
    return [(code, kind, rule) for code, kind, rule in rows if rule]
