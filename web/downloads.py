"""Downloads: the consolidated report, attachments and the lists' spreadsheets, for the
pages and the API alike."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from fastapi import Response

from web.uploads import XLSX

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def consolidated_report(cycle_id: int, ref: str, fmt: str) -> Response:
    """``fmt`` is ``md`` (Markdown, UTF-8) or ``docx`` (the Word file officials edit)."""
    from services.synthesis import stored_report, word_report

    if fmt == "docx":
        content, media_type = word_report(str(cycle_id)), DOCX
    else:
        content = stored_report(str(cycle_id)).markdown.encode("utf-8")
        media_type = "text/markdown; charset=utf-8"
    return download(content, f"bao-cao-tong-hop-{ref.replace('/', '-')}.{fmt}", media_type)


def sheets(fmt: str, tables: Sequence[Any], name: str) -> Response:
    """``tables`` (services.exports.Sheet) as ``name.xlsx`` or ``name.csv`` (UTF-8 with a
    BOM): every list's download."""
    from services.exports import csv_bytes, xlsx_bytes

    if fmt == "csv":
        return download(csv_bytes(tables), f"{name}.csv", "text/csv; charset=utf-8")
    return download(xlsx_bytes(tables), f"{name}.xlsx", XLSX)


def attachment(filename: str, data: bytes) -> Response:
    """An attachment as sent: always a download, never rendered inline."""
    return download(data, filename, "application/octet-stream")


def download(content: bytes, filename: str, media_type: str) -> Response:
    """A file download whose name keeps its diacritics (RFC 6266 ``filename*``),
    with an ASCII ``filename`` for clients that ignore it."""
    unaccented = unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_"
        for ch in unaccented
        if not unicodedata.combining(ch)
    )
    disposition = (
        f'attachment; filename="{ascii_name or "download"}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"},
    )
