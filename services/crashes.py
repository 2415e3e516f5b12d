"""What the CLI does with an exception nobody expected: keep it, say one line.

The traceback goes to a new file under ``<data dir>/logs/`` (or the system's
temporary directory when the data directory cannot be written), and the user
reads one line naming what failed and where the details are. A database that
refused the work says so: its transaction was rolled back, nothing changed.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path


def record(exc: BaseException, argv: list[str] | None) -> str:
    """Write ``exc``'s traceback to a log file; the one line to print."""
    from sqlalchemy.exc import DBAPIError

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = (
        f"phoihop {' '.join(sys.argv[1:] if argv is None else argv)}\n"
        f"at {stamp}, pid {os.getpid()}\n\n" + "".join(traceback.format_exception(exc))
    )
    path = _write(f"error-{stamp}-{os.getpid()}.log", text)
    if isinstance(exc, DBAPIError):
        cause = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        return f"the database refused the operation ({cause}); nothing was changed. Details: {path}"
    what = f"unexpected {type(exc).__name__}: {str(exc).strip().splitlines()[0][:200]}"
    return f"{what.rstrip(': ')}. Details: {path}"


def _write(name: str, text: str) -> Path | str:
    from services import settings

    candidates = []
    with contextlib.suppress(Exception):  # the settings themselves may be what failed
        candidates.append(settings.data_dir() / "logs")
    candidates.append(Path(tempfile.gettempdir()) / "phoihop-logs")
    for directory in candidates:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return "(no log written: no writable directory)"
