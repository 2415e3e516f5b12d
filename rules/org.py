"""The organisation's links: parents (the tree) and successors (mergers), loop-free.

A body may not be its own parent, nor its parent's parent's … parent: a loop
of any length would make roll-ups and "the level above" endless. Successor
links (a body merged into another, or abolished and its work given to another)
are links of the same shape — each body has at most one — and a loop there
(A merged into B, B into A) would hand tasks round for ever and fold a
scorecard into itself. One check, :func:`find_loop`, serves both.
"""

from __future__ import annotations

from collections.abc import Mapping

from rules.errors import UserError


def find_loop(links: Mapping[str, str | None]) -> list[str] | None:
    """One loop in the links (``code → the code it points to``), as the codes around it
    with the first repeated at the end (``["A", "B", "C", "A"]``), or None."""
    done: set[str] = set()
    for start in sorted(links):
        path: list[str] = []
        on_path: dict[str, int] = {}
        code: str | None = start
        while code is not None and code not in done:
            if code in on_path:
                return [*path[on_path[code] :], code]
            on_path[code] = len(path)
            path.append(code)
            code = links.get(code)
        done.update(path)
    return None


def check_tree(parents: Mapping[str, str | None]) -> None:
    """Refuse parent links that close a loop, naming the bodies on it."""
    loop = find_loop(parents)
    if loop:
        if len(loop) == 2:
            raise UserError(f"body {loop[0]}: a body cannot be its own parent")
        raise UserError(f"the organisation tree would have a loop: {' → '.join(loop)}")


def check_successions(successors: Mapping[str, str | None]) -> None:
    """Refuse successor links (``predecessor → successor``) that close a loop."""
    loop = find_loop(successors)
    if loop:
        if len(loop) == 2:
            raise UserError(f"body {loop[0]}: a body cannot be merged into itself")
        raise UserError(f"the mergers would form a loop: {' → '.join(loop)}")


def final_successor(successors: Mapping[str, str], code: str) -> str:
    """Where ``code``'s work is now: its successor's successor's … successor (``code``
    itself when it has none). The links must be loop-free (:func:`check_successions`)."""
    while code in successors:
        code = successors[code]
    return code


def predecessors(successors: Mapping[str, str], code: str) -> list[str]:
    """Every body whose work came to ``code``, through chains (A → B → C gives C both
    B and A), nearest first, then by code."""
    before: dict[str, list[str]] = {}
    for pred, succ in successors.items():
        before.setdefault(succ, []).append(pred)
    found: list[str] = []
    level = [code]
    while level:
        level = sorted(p for c in level for p in before.get(c, []))
        found.extend(level)
    return found
