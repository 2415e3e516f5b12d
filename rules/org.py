"""The organisation tree's shape: every chain of parents must end at a root.

A body may not be its own parent, nor its parent's parent's … parent: a loop
of any length would make roll-ups and "the level above" endless.
"""

from __future__ import annotations

from collections.abc import Mapping

from rules.errors import UserError


def find_loop(parents: Mapping[str, str | None]) -> list[str] | None:
    """One loop in the parent links (``code → parent code``), as the codes around it
    with the first repeated at the end (``["A", "B", "C", "A"]``), or None."""
    done: set[str] = set()
    for start in sorted(parents):
        path: list[str] = []
        on_path: dict[str, int] = {}
        code: str | None = start
        while code is not None and code not in done:
            if code in on_path:
                return [*path[on_path[code] :], code]
            on_path[code] = len(path)
            path.append(code)
            code = parents.get(code)
        done.update(path)
    return None


def check_tree(parents: Mapping[str, str | None]) -> None:
    """Refuse parent links that close a loop, naming the bodies on it."""
    loop = find_loop(parents)
    if loop:
        if len(loop) == 2:
            raise UserError(f"body {loop[0]}: a body cannot be its own parent")
        raise UserError(f"the organisation tree would have a loop: {' → '.join(loop)}")
