"""``init``, ``db upgrade|status``, ``backup`` and ``restore``: the database, its schema
revision, and copies of it (the logic is in :mod:`services.backup`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from commands.language import say
from commands.output import Answer


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "init", parents=[common], help="create the database, or upgrade it (idempotent)"
    )
    p.set_defaults(handler=upgrade)
    database = sub.add_parser("db", help="the database's schema revision").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = database.add_parser(
        "upgrade", parents=[common], help="migrate the database to this phoihop's schema"
    )
    p.set_defaults(handler=upgrade)
    p = database.add_parser("status", parents=[common], help="the current and the newest revision")
    p.set_defaults(handler=status)
    p = sub.add_parser(
        "backup",
        parents=[common],
        help="write a consistent snapshot of the database (safe while serve runs)",
        description="Write a consistent snapshot of the database to FILE while other processes, "
        "`phoihop serve` included, keep writing. SQLite: the online backup API, WAL included, "
        "into a single-file database marked as a phoihop backup with its schema revision. "
        "PostgreSQL: pg_dump --format=custom (pg_dump must be on PATH). "
        "Copying phoihop.db by hand is not a backup: committed writes may be only in the WAL.",
    )
    p.add_argument("file", metavar="FILE", type=Path, help="the backup file to write")
    p.add_argument("--force", action="store_true", help="replace FILE if it already exists")
    p.set_defaults(handler=backup)
    p = sub.add_parser(
        "restore",
        parents=[common],
        help="replace the database with a backup (stop serve first)",
        description="Replace the configured database with the backup in FILE, then upgrade it "
        "to this phoihop's schema if the backup is older. The whole file is checked first; "
        "a database that holds data is only replaced with --force. Restoring while "
        "`phoihop serve` (or anything else) uses the database is not supported: stop it first. "
        "PostgreSQL needs pg_restore on PATH.",
    )
    p.add_argument("file", metavar="FILE", type=Path, help="a file written by `phoihop backup`")
    p.add_argument(
        "--force", action="store_true", help="replace a database that already holds data"
    )
    p.set_defaults(handler=restore)


def _where() -> dict[str, str]:
    from sqlalchemy.engine import make_url

    from services import settings

    url = make_url(settings.database_url())
    return {
        "database": url.render_as_string(hide_password=True),
        "data_dir": str(settings.data_dir()),
    }


def upgrade(args: argparse.Namespace) -> Answer:
    from services import db, schema

    before, after = schema.upgrade(db.raw_engine())
    data = _where() | {"from_revision": before.current, "to_revision": after.current}
    at, where = after.current, data["database"]
    if before.up_to_date:
        line = say(f"Cơ sở dữ liệu đã sẵn sàng, phiên bản {at}: {where}",
                   f"Database ready at revision {at}: {where}")  # fmt: skip
    elif before.empty:
        line = say(f"Đã tạo cơ sở dữ liệu, phiên bản {at}: {where}",
                   f"Database created at revision {at}: {where}")  # fmt: skip
    else:
        was = before.current
        line = say(f"Đã nâng cấp cơ sở dữ liệu từ phiên bản {was} lên {at}: {where}",
                   f"Database upgraded from revision {was} to {at}: {where}")  # fmt: skip
    return Answer(data, lambda c: c.print(line))


def status(args: argparse.Namespace) -> Answer:
    from services import db, schema

    state = schema.status(db.raw_engine())
    data = _where() | state.as_dict()

    def render(c: Any) -> None:
        current = state.current or say("chưa có (cơ sở dữ liệu trống)", "none (empty database)")
        if state.current and not state.versioned:
            current += say(" (do phoihop 0.1 tạo, không có bảng phiên bản)",
                           " (made by phoihop 0.1, no version table)")  # fmt: skip
        c.print(say("Cơ sở dữ liệu", "Database"), data["database"])
        c.print(say(f"  phiên bản hiện tại: {current}", f"  current revision: {current}"))
        c.print(say(f"  phiên bản mới nhất: {state.head}", f"  newest revision:  {state.head}"))
        if state.up_to_date:
            c.print(say("  đã cập nhật", "  up to date"))
        else:
            pending = ", ".join(state.pending) or "—"
            c.print(say(f"  chờ nâng cấp: {pending}; hãy chạy `phoihop db upgrade`",
                        f"  pending: {pending}; run `phoihop db upgrade`"))  # fmt: skip

    return Answer(data, render)


def _size(n: int) -> str:
    """Bytes for people: exact when small, else in KiB/MiB/GiB to one decimal
    (a decimal comma in Vietnamese)."""
    if n < 1024:
        return say(f"{n} byte", f"{n} bytes")
    size = n / 1024
    for unit in ("KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            break
        size /= 1024
    shown = f"{size:.1f}"
    return f"{say(shown.replace('.', ','), shown)} {unit}"


def backup(args: argparse.Namespace) -> Answer:
    from services import backup as backups

    info = backups.backup(args.file, force=args.force)
    data = _where() | info.as_dict()
    what = f"({_size(info.size_bytes)}, " + say("phiên bản", "revision")
    line = say("Đã ghi bản sao lưu", "Backup written") + (
        f": {info.path} {what} {info.revision}, {info.source_dialect})"
    )
    return Answer(data, lambda c: c.print(line, soft_wrap=True))


def restore(args: argparse.Namespace) -> Answer:
    from services import backup as backups

    done = backups.restore(args.file, force=args.force)
    data = _where() | done.as_dict()
    upgraded = data["upgraded"]
    at = done.after.current
    then = (
        say(f", đã nâng cấp lên phiên bản {at}", f", upgraded to revision {at}") if upgraded else ""
    )
    line = say(
        f"Đã khôi phục {done.backup.path} (phiên bản {done.backup.revision}) vào "
        f"{done.database}{then}",
        f"Restored {done.backup.path} (revision {done.backup.revision}) into {done.database}{then}",
    )
    return Answer(data, lambda c: c.print(line, soft_wrap=True))
