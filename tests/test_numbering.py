"""The number register: no number is given twice, whoever draws it and however many at once."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from models import RegisterEntry
from rules.errors import UserError
from services import db, issuing
from services.registry import body_by_code

Cli = Callable[..., object]
NOW = datetime(2024, 7, 22, 2, 0, tzinfo=UTC)
DAY = date(2024, 7, 22)


def draw(code: str, type_code: str, times: int, entered: int | None = None) -> list[str]:
    """``times`` numbers, each in its own transaction (as letters and reports are issued)."""
    symbols = []
    for _ in range(times):
        with db.transaction() as session:
            body = body_by_code(session, code)
            issuer = issuing.issuer_of(session, body)
            got = issuing.allocate(session, issuer, body.id, type_code, DAY, now=NOW,
                                   actor=f"t{threading.get_ident()}", entered=entered)  # fmt: skip
            symbols.append(got.symbol)
    return symbols


def _process(code: str, type_code: str, times: int, queue: object) -> None:
    queue.put(draw(code, type_code, times))  # type: ignore[attr-defined]


def registered() -> list[tuple[str, str, str, int]]:
    with db.reading() as session:
        rows = session.exec(select(RegisterEntry)).all()
        return [(r.sequence, r.series, r.type_code, r.number) for r in rows]


def test_numbers_follow_each_other_per_type_and_skip_entered_ones(demo_org: Cli) -> None:
    assert draw("BTGTU", "CV", 2) == ["01-CV/BTGTU", "02-CV/BTGTU"]
    assert draw("BTGTU", "CV", 1, entered=4) == ["04-CV/BTGTU"]  # from the e-office system
    assert draw("BTGTU", "CV", 2) == ["03-CV/BTGTU", "05-CV/BTGTU"]  # 04 is taken
    assert draw("BTGTU", "BC", 1) == ["01-BC/BTGTU"]  # Party: each type its own sequence
    # State: one sequence per year for every administrative type
    assert draw("UBND", "BC", 1) + draw("UBND", "CV", 1) == ["01/BC-UBND", "02/UBND"]
    with pytest.raises(UserError, match="already in the register"):
        draw("BTGTU", "CV", 1, entered=2)


def test_threads_never_draw_the_same_number(demo_org: Cli) -> None:
    results: list[list[str]] = []
    threads = [
        threading.Thread(target=lambda kind=kind: results.append(draw("UBND", kind, 10)))
        for kind in ("BC", "CV") * 3
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    numbers = sorted(n for _, _, _, n in registered())
    assert numbers == list(range(1, 61))  # one State sequence, shared by both types


def test_processes_never_draw_the_same_number(demo_org: Cli) -> None:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_process, args=("BTGTU", "CV", 8, queue)) for _ in range(3)]
    for w in workers:
        w.start()
    drawn = [queue.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    symbols = [s for part in drawn for s in part]
    assert len(symbols) == len(set(symbols)) == 24
    assert sorted(n for *_, n in registered()) == list(range(1, 25))


def test_concurrent_syntheses_and_letters_share_the_register(
    open_cycle: Cli, tmp_path: object
) -> None:
    """A sweep's letters (CV) and a synthesis (BC) drawn at once: each sequence stays whole."""
    from services.notices import prepare_outbox

    cli = open_cycle
    assert cli("sweep", "--now", "2024-07-17T08:00").code == 0  # level 2: 7 formal letters
    threads = [
        threading.Thread(target=lambda: prepare_outbox(now=NOW)),
        threading.Thread(target=lambda: draw("BTGTU", "BC", 5)),
        threading.Thread(target=lambda: prepare_outbox(now=NOW)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = registered()
    letters = sorted(n for seq, _, _, n in rows if seq == "CV")
    reports = sorted(n for seq, _, _, n in rows if seq == "BC")
    assert letters == list(range(1, 8)) and reports == list(range(1, 6))


@pytest.mark.usefixtures("pg_url")
def test_postgresql_threads_never_draw_the_same_number(demo_org: Cli) -> None:
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def run(kind: str) -> None:
        try:
            results.append(draw("BTGTU", kind, 8))
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in ("CV",) * 4 + ("BC",) * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    rows = registered()
    assert sorted(n for seq, _, _, n in rows if seq == "CV") == list(range(1, 33))
    assert sorted(n for seq, _, _, n in rows if seq == "BC") == list(range(1, 17))
