"""How every command answers: one JSON document with ``--json``, rich tables otherwise."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(data: Any) -> str:
    """UTF-8 JSON with diacritics kept as they are (no \\u escapes)."""
    return json.dumps(data, ensure_ascii=False, default=_default, indent=2)


def console() -> Console:
    from rich.console import Console

    probe = Console()
    # Piped output (scripts, logs, `| less`) gets wide tables instead of rich's 80 columns.
    # What a command prints is data (names, titles, notes, paths), so the console reads no
    # markup: "Tổ [bản nháp] số 1" prints as written, a stray "[/i]" raises nothing. The
    # few lines that style text say ``markup=True`` and escape their data (:func:`plain`).
    # No emoji codes either: ":warning:" in a name is data too.
    return Console(
        highlight=False, markup=False, emoji=False, width=None if probe.is_terminal else 160
    )


@dataclass
class Answer:
    """What a command produced: data for scripts and a renderer for people."""

    data: Any
    render: Callable[[Console], None] | None = None


def emit(args: argparse.Namespace, answer: Answer) -> None:
    if getattr(args, "json", False) or answer.render is None:
        sys.stdout.write(to_json(answer.data) + "\n")
    else:
        answer.render(console())


def common_options() -> argparse.ArgumentParser:
    """Options every leaf command accepts: ``--json``, ``--now`` and ``--lang``."""
    from commands.argtypes import moment

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print one JSON document")
    common.add_argument(
        "--now",
        metavar="MOMENT",
        type=moment,
        help="simulated current time (ISO date or date-time, local if naive); also PHOIHOP_NOW",
    )
    common.add_argument(
        "--lang",
        choices=["vi", "en"],
        help="the answers' language: vi (default) or en; also PHOIHOP_LANG",
    )
    return common


def plain(data: object) -> str:
    """Data to put in a styled line (``print(..., markup=True)``), e.g.
    ``f"[bold]{plain(ref)}[/bold]"``: escaped, it prints as written and only the
    command's own tags style it. Every other line is read without markup
    (:func:`console`)."""
    from rich.markup import escape

    return escape(str(data))


def table(title: str | None, columns: list[str], rows: list[list[Any]]) -> Any:
    """A rich table with the given headers; cells are turned into plain text.

    Cells are data (names, periods, notes), never markup: as Text they print as
    written whatever console prints them, and rendering skips the markup parser
    (the national dashboard prints some 800 cells).
    """
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        t.add_column(column)
    for row in rows:
        t.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    return t


def actor_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as", dest="actor", metavar="NAME", help="who is acting (default: $PHOIHOP_USER or login)"
    )


def actor(args: argparse.Namespace) -> str:
    import getpass

    from services import settings

    return args.actor or settings.current().user or getpass.getuser()
