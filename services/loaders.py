"""Reading the operator's files (CSV, YAML, reports) at the edge, with one-line errors."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from rules.errors import UserError
from rules.specs import BodySpec, ProgramSpec, body_row, validate


def read_text(path: str | Path, what: str) -> str:
    """A UTF-8 text file, NFC-normalised; missing or undecodable files are user errors."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{what} file not found: {p}") from None
    except IsADirectoryError:
        raise UserError(f"{what} path is a directory: {p}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{what} file {p} is not UTF-8 (byte {exc.start})") from None
    return unicodedata.normalize("NFC", text)


def _yaml(text: str, where: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UserError(f"{where}{line}: malformed YAML: {problem}") from None


def load_bodies(path: str | Path) -> list[Any]:
    """Bodies from a CSV (header row of BodySpec fields) or a YAML list.

    Each row is validated as it is read and kept as a plain :data:`rules.specs.BodyRow`,
    so a national file (50,000 bodies) costs tens of megabytes, not hundreds.
    """
    text = read_text(path, "bodies")
    name = str(path)
    if str(path).lower().endswith((".yaml", ".yml")):
        data = _yaml(text, name)
        if isinstance(data, dict) and "bodies" in data:
            data = data["bodies"]
        if not isinstance(data, list) or not data:
            raise UserError(f"{name}: expected a non-empty list of bodies")
        specs = [
            body_row(validate(BodySpec, row, f"{name} item {i}")) for i, row in enumerate(data, 1)
        ]
    else:
        reader = csv.DictReader(io.StringIO(text))
        del text
        if not reader.fieldnames or "code" not in reader.fieldnames:
            raise UserError(f"{name}: CSV must have a header row with at least code,name,level")
        specs = []
        for row in reader:
            if None in row:
                raise UserError(f"{name} line {reader.line_num}: more values than columns")
            specs.append(body_row(validate(BodySpec, row, f"{name} line {reader.line_num}")))
        if not specs:
            raise UserError(f"{name}: no bodies in the file")
    dupes = sorted(c for c, n in Counter(s.code for s in specs).items() if n > 1)
    if dupes:
        raise UserError(f"{name}: body code(s) listed twice: {', '.join(dupes)}")
    return specs


def load_program(path: str | Path) -> ProgramSpec:
    text = read_text(path, "program")
    return validate(ProgramSpec, _yaml(text, str(path)), str(path))


def load_request_outline(path: str | Path) -> tuple[list[Any], dict[str, Any] | None]:
    """An ad-hoc request's outline (and ladder) from a file: YAML, either a list of
    sections or ``{outline: [...], escalation: {...}}`` as a program file writes them,
    or markdown, a heading per section (``## I. Tiêu đề``). Validated by the service."""
    from rules.adhoc import outline_from_markdown

    text = read_text(path, "outline")
    name = str(path)
    if name.lower().endswith((".md", ".markdown", ".txt")):
        return outline_from_markdown(text, name), None
    data = _yaml(text, name)
    if isinstance(data, list):
        return data, None
    if isinstance(data, dict) and isinstance(data.get("outline"), list):
        extra = sorted(set(data) - {"outline", "escalation"})
        if extra:
            raise UserError(f"{name}: unexpected field(s) {', '.join(extra)}")
        return data["outline"], data.get("escalation")
    raise UserError(f"{name}: expected a list of sections, or outline: and escalation:")
