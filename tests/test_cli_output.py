"""What a command prints for people shows the data as written, brackets and all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.test_bad_input import BODIES_HEADER

Cli = Callable[..., Any]
NAMES = ("Tổ [bản nháp] số 1", "[bold]Ban đậm[/bold]")


def test_a_table_prints_names_with_brackets_as_written(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bodies.csv"
    lines = [f"T{n},{name},province,,,,,," for n, name in enumerate(NAMES)]
    path.write_text(BODIES_HEADER + "\n".join(lines) + "\n", "utf-8")
    assert cli("bodies", "import", path).code == 0
    listed = cli("bodies", "list")
    assert listed.code == 0, listed.err
    for name in NAMES:
        assert name in listed.out
