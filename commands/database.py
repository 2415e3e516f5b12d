"""``init`` and ``db upgrade|status``: the database and its schema revision."""

from __future__ import annotations

import argparse
from typing import Any

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
    if before.up_to_date:
        done = f"ready at revision {after.current}"
    elif before.empty:
        done = f"created at revision {after.current}"
    else:
        done = f"upgraded from revision {before.current} to {after.current}"
    return Answer(data, lambda c: c.print(f"Database {done}: {data['database']}"))


def status(args: argparse.Namespace) -> Answer:
    from services import db, schema

    state = schema.status(db.raw_engine())
    data = _where() | state.as_dict()

    def render(c: Any) -> None:
        current = state.current or "none (empty database)"
        if state.current and not state.versioned:
            current += " (made by phoihop 0.1, no version table)"
        c.print(f"Database {data['database']}")
        c.print(f"  current revision: {current}")
        c.print(f"  newest revision:  {state.head}")
        if state.up_to_date:
            c.print("  up to date")
        else:
            c.print(f"  pending: {', '.join(state.pending) or '—'}; run `phoihop db upgrade`")

    return Answer(data, render)
