"""phoihop's command line: ``phoihop GROUP COMMAND [options]``.

This module only wires argument parsing to handlers; handlers live in
``commands/`` and import what they need lazily, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import sys
import threading
from typing import Any, NoReturn

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


def error_line(message: str, prog: str = "phoihop") -> str:
    """``phoihop: lỗi: <the message in Vietnamese>``, or with ``--lang en``
    ``phoihop: error: <the service's words, quotes and all>``: both through the one
    table (rules.error_text.localize), so dates are dd/mm/yyyy and a status is words in
    either language, as on the pages. A message the table does not know yet keeps
    the service's words rather than hiding them."""
    from commands.language import current
    from rules.error_text import dmy, localize

    lang = current()
    said = localize(message, lang, as_written=True) or dmy(message)
    return f"{prog}: {'error' if lang == 'en' else 'lỗi'}: {said}"


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and exit 2), like every other error,
    in the command line's language."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, error_line(message, self.prog) + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="phoihop",
        description="Reporting cycles between Vietnamese agencies: requests, submissions, "
        "review, synthesis and automatic escalation of missed deadlines. Every command "
        "answers in Vietnamese; --lang en (or PHOIHOP_LANG=en) answers in English.",
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
    lang_before = os.environ.get("PHOIHOP_LANG")
    asked = _asked_lang(sys.argv[1:] if argv is None else argv)
    try:
        if asked:  # before parsing, so that a usage error is in the language asked for
            os.environ["PHOIHOP_LANG"] = asked
        args = parser.parse_args(argv)
        return _run(args, argv)
    finally:  # --lang is this command's, not the process's (in-process callers, tests)
        if asked:
            if lang_before is None:
                os.environ.pop("PHOIHOP_LANG", None)
            else:
                os.environ["PHOIHOP_LANG"] = lang_before


def _asked_lang(argv: list[str]) -> str | None:
    """The ``--lang`` among ``argv`` (``--lang en``, ``--lang=en``; the last one, as
    argparse takes it), if a valid one; argparse itself still refuses a wrong one."""
    found = None
    for n, arg in enumerate(argv):
        if arg == "--":
            break
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and n + 1 < len(argv):
            value = argv[n + 1]
        if value in ("vi", "en"):
            found = value
    return found


def _run(args: argparse.Namespace, argv: list[str] | None) -> int:
    """The command itself, with its one-line errors (see :func:`main`)."""
    from rules.errors import UserError

    try:
        if getattr(args, "now", None):
            os.environ["PHOIHOP_NOW"] = args.now.isoformat()
        from services import settings

        settings.current()  # every setting checked before the command does anything
        answer = args.handler(args)
    except UserError as exc:
        print(error_line(str(exc)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        from commands.language import say

        print(say("phoihop: đã dừng theo yêu cầu", "phoihop: interrupted"), file=sys.stderr)
        return 130
    except Exception as exc:  # a bug or a failing database: one line, the rest in a file
        from services.crashes import record

        print(error_line(record(exc, argv)), file=sys.stderr)
        return 70
    if answer is not None:
        emit(args, answer)
    return 0


def run() -> NoReturn:
    """The ``phoihop`` console script: :func:`main`, then a quick exit.

    Tearing the interpreter down (every module, SQLAlchemy's and pydantic's
    object graphs) took 0.2–0.3 s after the command had finished: a quarter of
    ``phoihop dashboard`` at national scale. Everything a command does is
    committed before :func:`main` returns, so the process leaves as soon as it has
    closed its database connections, run the exit handlers and flushed its
    output. A thread still running (``serve``) gets the ordinary exit, which waits
    for it. In-process callers (tests) use :func:`main`, which never exits.
    """
    try:
        code: Any = main()
    except SystemExit as stop:  # argparse's usage errors and --help
        code = stop.code
    if threading.active_count() > 1:
        sys.exit(code)
    if code is None:
        code = 0
    elif not isinstance(code, int):  # as the interpreter treats SystemExit("words")
        print(code, file=sys.stderr)
        code = 1
    db = sys.modules.get("services.db")
    if db is not None:
        db.disconnect()
    atexit._run_exitfuncs()  # what the interpreter would run on its way out (logging's flush)
    os._exit(_flushed(code))


def _flushed(code: int) -> int:
    """``code`` once stdout and stderr are flushed, or a failing code if stdout could not
    be: 120 when the reader left (``| head``; the interpreter's own code for it), 1 with
    one line when the output could not be written (a full disk)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = code or 120
    except OSError as exc:
        code = code or 1
        from commands.language import say

        why = exc.strerror or str(exc)
        with contextlib.suppress(OSError, ValueError):
            print(error_line(say(f"không ghi được kết quả ({why})",
                                 f"the output could not be written ({why})")),
                  file=sys.stderr)  # fmt: skip
    except ValueError:  # closed by the command: nothing is left to write
        pass
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    return code


if __name__ == "__main__":
    run()
