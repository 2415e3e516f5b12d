"""``phoihop demo``: one whole cycle on a fresh embedded database, in seconds."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from commands.output import Answer


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "demo", parents=[common], help="run a whole sample cycle on a fresh database"
    )
    p.add_argument("--data-dir", type=Path,
                   help="keep the demo database here (default: a temporary directory)")  # fmt: skip
    p.add_argument("--keep", action="store_true",
                   help="keep the temporary directory (default: removed at the end)")  # fmt: skip
    p.set_defaults(handler=demo)


def demo(args: argparse.Namespace) -> Answer | None:
    from demo.run import run

    result = run(args.data_dir, as_json=args.json, keep=args.keep)
    return Answer(result) if args.json else None
