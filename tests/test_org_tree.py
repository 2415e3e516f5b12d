"""The organisation tree refuses loops of any length, in a file or across imports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rules.errors import UserError
from rules.org import check_successions, final_successor, find_loop, predecessors
from tests.test_bad_input import BODIES_HEADER, fails_cleanly

Cli = Callable[..., Any]


def test_find_loop_follows_chains_of_any_length() -> None:
    assert find_loop({"A": None, "B": "A", "C": "B"}) is None
    assert find_loop({"A": "A"}) == ["A", "A"]
    assert find_loop({"A": "B", "B": "C", "C": "A", "D": "A"}) == ["A", "B", "C", "A"]
    assert find_loop({"X": "Y", "Y": None, "P": "Q", "Q": "R", "R": "Q"}) == ["Q", "R", "Q"]
    assert find_loop({"A": "MISSING"}) is None  # unknown parents are another check's job


def test_successor_links_share_the_loop_check_and_follow_chains() -> None:
    """Mergers are links of the tree's shape (one successor each): the same check
    refuses their loops, and a chain's end is where a body's work is now."""
    links = {"A": "B", "B": "C", "D": "C", "E": "D"}
    check_successions(links)
    assert [final_successor(links, code) for code in "ABCDE"] == ["C", "C", "C", "C", "C"]
    assert predecessors(links, "C") == ["B", "D", "A", "E"]  # nearest first
    assert predecessors(links, "A") == []
    with pytest.raises(UserError, match=r"^the mergers would form a loop: A → B → C → A$"):
        check_successions(links | {"C": "A"})
    with pytest.raises(UserError, match="cannot be merged into itself"):
        check_successions({"A": "A"})


def rows(tmp_path: Path, name: str, *lines: str) -> Path:
    path = tmp_path / name
    path.write_text(BODIES_HEADER + "".join(f"{line},,,,,\n" for line in lines), "utf-8")
    return path


def test_a_loop_inside_one_file_is_refused(demo_org: Cli, tmp_path: Path) -> None:
    path = rows(
        tmp_path, "loop.csv",
        "A,Ban A,province,C", "B,Ban B,province,A", "C,Ban C,province,B",
    )  # fmt: skip
    line = fails_cleanly(demo_org, "bodies", "import", path)
    assert line == "phoihop: lỗi: Cây tổ chức sẽ bị khép vòng: A → C → B → A."


def test_a_loop_closed_by_a_later_import_is_refused(demo_org: Cli, tmp_path: Path) -> None:
    first = rows(tmp_path, "first.csv", "A,Ban A,province,", "B,Ban B,commune,A")
    assert demo_org("bodies", "import", first).code == 0
    closing = rows(tmp_path, "closing.csv", "A,Ban A,province,B")  # A under its own child
    line = fails_cleanly(demo_org, "bodies", "import", closing)
    assert line.endswith("sẽ bị khép vòng: A → B → A.")


@pytest.mark.parametrize("code", ["A", "SO-NV"])
def test_a_body_that_is_its_own_parent(demo_org: Cli, tmp_path: Path, code: str) -> None:
    path = rows(tmp_path, "self.csv", f"{code},Ban,province,{code}")
    line = fails_cleanly(demo_org, "bodies", "import", path)
    assert line == f"phoihop: lỗi: Cơ quan {code}: một cơ quan không thể trực thuộc chính nó."


def test_no_cycle_opens_under_a_coordinator_that_had_ended(demo_org: Cli) -> None:
    """The demo's board (BTGTU) ended on 28/02/2025, merged into BTGDVTU."""
    line = fails_cleanly(
        demo_org, "cycle", "open", "QD238", "2025-H1", "--letter-date", "2025-07-03",
        "--now", "2025-07-03T08:00",
    )  # fmt: skip
    assert line == (
        "phoihop: lỗi: Cơ quan BTGTU (cơ quan chủ trì), SO-TTTT chưa có vào ngày 03/07/2025; "
        "hãy cập nhật chương trình hoặc danh sách cơ quan."
    )
