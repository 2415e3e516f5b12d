"""Searching names without minding diacritics or case, in SQL, on SQLite and PostgreSQL.

People type "uy ban" for "Ủy ban", "toa an" for "Tòa án". :func:`folded` is a
column folded as :func:`rules.text.search_key` folds the typed words: on
PostgreSQL the built-in ``translate()`` over the same table of letters, on
SQLite the same Python function registered on each connection (``services.db``).
No extra column, no extension to install, and both sides fold alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, func, literal, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from rules.text import FOLD_FROM, FOLD_TO, search_key

SQLITE_FUNCTION = "phoihop_fold"


class folded(FunctionElement[str]):
    """``column`` with diacritics and case folded (see the module's docstring)."""

    type = String()
    name = SQLITE_FUNCTION
    inherit_cache = True


@compiles(folded)
def _folded_sqlite(element: folded, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _folded_postgresql(element: folded, compiler: Any, **kw: Any) -> str:
    (column,) = element.clauses.clauses
    return compiler.process(func.translate(column, literal(FOLD_FROM), literal(FOLD_TO)), **kw)


def register(dbapi_connection: Any) -> None:
    """Give a SQLite connection the fold (deterministic: usable in indexes and planners)."""
    dbapi_connection.create_function(SQLITE_FUNCTION, 1, search_key, deterministic=True)


def matches(text: str, *columns: Any) -> ColumnElement[bool]:
    """Any of ``columns`` contains ``text``, diacritics and case aside (``%`` and ``_``
    typed are plain characters)."""
    key = search_key(text.strip())
    return or_(*(folded(c).contains(key, autoescape=True) for c in columns))
