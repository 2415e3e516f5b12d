"""phoihop's command line: ``phoihop GROUP COMMAND [options]``.

This module only wires argument parsing to handlers; handlers live in
``commands/`` and import what they need lazily, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn

from commands import calendar as calendar_cmds
from commands import (
    cycles,
    database,
    demo,
    history,
    letters,
    org,
    requests,
    scorecard,
    serve,
    users,
    watch,
    worker,
)
from commands.output import common_options, emit

GROUPS = [
    database,
    org,
    cycles,
    requests,
    watch,
    scorecard,
    history,
    calendar_cmds,
    demo,
    serve,
    worker,
    users,
    letters,
]


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and exit 2), like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="phoihop",
        description="Reporting cycles between Vietnamese agencies: requests, submissions, "
        "review, synthesis and automatic escalation of missed deadlines.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = common_options()
    for group in GROUPS:
        group.register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command. A :class:`UserError` (bad input, a bad setting, a forbidden
    move) is one line on stderr and exit 1; anything unexpected is one line too,
    naming the log file that keeps its traceback, and exit 70."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    parser = build_parser()
    args = parser.parse_args(argv)
    lang_before = os.environ.get("PHOIHOP_LANG")
    try:
        return _run(args, argv)
    finally:  # --lang is this command's, not the process's (in-process callers, tests)
        if getattr(args, "lang", None):
            if lang_before is None:
                os.environ.pop("PHOIHOP_LANG", None)
            else:
                os.environ["PHOIHOP_LANG"] = lang_before


def _run(args: argparse.Namespace, argv: list[str] | None) -> int:
    """The command itself, with its one-line errors (see :func:`main`)."""
    from rules.errors import UserError

    try:
        if getattr(args, "now", None):
            os.environ["PHOIHOP_NOW"] = args.now.isoformat()
        if getattr(args, "lang", None):
            os.environ["PHOIHOP_LANG"] = args.lang
        from services import settings

        settings.current()  # every setting checked before the command does anything
        answer = args.handler(args)
    except UserError as exc:
        print(f"phoihop: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("phoihop: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug or a failing database: one line, the rest in a file
        from services.crashes import record

        print(f"phoihop: error: {record(exc, argv)}", file=sys.stderr)
        return 70
    if answer is not None:
        emit(args, answer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
