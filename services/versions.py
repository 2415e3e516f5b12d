"""A program's terms, version by version: what each cycle runs by.

A program's outline, urging ladder, working days and cut-off day are its
*terms*. They are kept as :class:`models.ProgramVersion` rows, written once; a
cycle is opened under its program's latest version and points at it
(``cycle.program_version_id``), so ``program update`` changes the cycles opened
after it and none before. The program row holds no copy of them (migration 0011
dropped it): a cycle's terms are read here (:func:`of_cycle`, or :data:`V` joined
by :func:`join_terms` in a query), and a program's current ones are its latest
version (:func:`latest`, or :func:`latest_of` for many programs in one query).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from models import Cycle, Program, ProgramVersion
from rules.errors import NotFound
from rules.timezone import local_date

V = ProgramVersion.__table__.c  # type: ignore[attr-defined]

# The terms a version holds.
TERMS = (
    "cutoff_start_day",
    "provide_working_days",
    "review_working_days",
    "synthesis_working_days",
    "margin_working_days",
    "outline",
    "escalation",
)


def terms_of(
    spec: Any, *, cutoff_start_day: int, provide: int, review: int, synthesis: int, margin: int
) -> dict[str, Any]:
    """The terms named as :data:`TERMS`, as a version stores them: these days and
    ``spec``'s outline and ladder as plain data. ``spec`` is a program file's
    (:func:`terms_of_spec`) or an ad-hoc request's (:class:`rules.adhoc.RequestTerms`),
    so both are written down the same way and a repeated request finds its version."""
    return {
        "cutoff_start_day": cutoff_start_day,
        "provide_working_days": provide,
        "review_working_days": review,
        "synthesis_working_days": synthesis,
        "margin_working_days": margin,
        "outline": [s.model_dump() for s in spec.outline],
        "escalation": spec.escalation.model_dump(),
    }


def terms_of_spec(spec: Any) -> dict[str, Any]:
    """The terms a program file (:class:`rules.specs.ProgramSpec`) states."""
    days = spec.working_days
    return terms_of(
        spec, cutoff_start_day=spec.cutoff_start_day, provide=days.provide,
        review=days.review, synthesis=days.synthesis, margin=days.margin,
    )  # fmt: skip


def terms_dict(version: ProgramVersion) -> dict[str, Any]:
    return {name: getattr(version, name) for name in TERMS}


def latest(session: Session, program_id: int) -> ProgramVersion:
    """The version the next cycle of the program is opened under."""
    version = _newest(session, program_id)
    if version is None:
        raise NotFound(f"program {program_id} has no version")
    return version


def _newest(session: Session, program_id: int) -> ProgramVersion | None:
    return session.exec(
        select(ProgramVersion)
        .where(ProgramVersion.program_id == program_id)
        .order_by(ProgramVersion.version.desc())
        .limit(1)
    ).first()


def latest_of(
    session: Session, program_ids: Iterable[int] | None = None
) -> dict[int, ProgramVersion]:
    """Each program's latest version, by program id, in one query (a list of programs
    reads them all at once, not one query each); ``program_ids`` None: every program."""
    newest = select(V.program_id, func.max(V.version).label("version")).group_by(V.program_id)
    if program_ids is not None:
        newest = newest.where(V.program_id.in_(list(program_ids)))
    top = newest.subquery()
    rows = session.exec(
        select(ProgramVersion).join(
            top, (V.program_id == top.c.program_id) & (V.version == top.c.version)
        )
    ).all()
    return {v.program_id: v for v in rows}


def of_cycle(session: Session, cycle: Cycle) -> ProgramVersion:
    """The terms ``cycle`` was opened under: its outline, ladder and working days."""
    version = session.get(ProgramVersion, cycle.program_version_id)
    if version is None:
        raise NotFound(f"cycle {cycle.id}: its program version is missing")
    return version


def join_terms(clause: Any, cycle: Any) -> Any:
    """``clause`` joined to the version of the cycle whose columns are ``cycle``, so a
    query reads ``V.outline`` / ``V.escalation`` of each cycle's own terms."""
    return clause.join(ProgramVersion.__table__, V.id == cycle.program_version_id)


def settle(
    session: Session, program: Program, terms: dict[str, Any], *, now: datetime
) -> tuple[ProgramVersion, bool]:
    """The program's version with ``terms``: its latest one when they are the same
    (a repeated update makes nothing), else a new one, numbered next; returns it and
    whether it is new. The program row is not touched. The caller audits it."""
    current = _newest(session, program.id)
    if current is not None and terms_dict(current) == terms:
        return current, False
    number = current.version + 1 if current is not None else 1  # (program, version) unique
    version = ProgramVersion(
        program_id=program.id, version=number, valid_from=local_date(now), created_at=now,
        **terms,
    )  # fmt: skip
    session.add(version)
    session.flush()
    return version, True


def changed_terms(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The names of the terms that differ, in :data:`TERMS` order (for the audit)."""
    return [name for name in TERMS if old.get(name) != new.get(name)]


def version_dict(version: ProgramVersion, cycles: int = 0) -> dict[str, Any]:
    """A version as ``program show`` and the API list it; ``cycles`` opened under it."""
    return {
        "version": version.version,
        "valid_from": version.valid_from,
        "created_at": version.created_at,
        "cycles": cycles,
        "working_days": {
            "provide": version.provide_working_days,
            "review": version.review_working_days,
            "synthesis": version.synthesis_working_days,
            "margin": version.margin_working_days,
        },
        "cutoff_start_day": version.cutoff_start_day,
        "outline": version.outline,
        "escalation": version.escalation,
    }


def program_versions(code: str) -> list[dict[str, Any]]:
    """Every version of a program, oldest first, with how many cycles each has."""
    from services import db
    from services.registry import program_by_code

    with db.reading() as session:
        program = program_by_code(session, code)
        counts = dict(
            session.exec(
                select(Cycle.program_version_id, func.count(Cycle.id))
                .where(Cycle.program_id == program.id)
                .group_by(Cycle.program_version_id)
            ).all()
        )
        rows = session.exec(
            select(ProgramVersion)
            .where(ProgramVersion.program_id == program.id)
            .order_by(ProgramVersion.version)
        ).all()
        return [version_dict(v, counts.get(v.id, 0)) for v in rows]
