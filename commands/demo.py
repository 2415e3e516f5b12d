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
    p.add_argument("--data-dir", type=Path, help="where to keep the demo database (default: temp)")
    p.set_defaults(handler=demo)


def demo(args: argparse.Namespace) -> Answer | None:
    from demo.run import run

    result = run(args.data_dir, as_json=args.json)
    return Answer(result) if args.json else None
