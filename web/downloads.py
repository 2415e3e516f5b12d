"""The consolidated report as a download, for the pages and the API alike."""

from __future__ import annotations

from fastapi import Response

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def consolidated_report(cycle_id: int, ref: str, fmt: str) -> Response:
    """``fmt`` is ``md`` (Markdown, UTF-8) or ``docx`` (the Word file officials edit)."""
    from services.synthesis import stored_report, word_report

    if fmt == "docx":
        content, media_type = word_report(str(cycle_id)), DOCX
    else:
        content = stored_report(str(cycle_id)).markdown.encode("utf-8")
        media_type = "text/markdown; charset=utf-8"
    filename = f"bao-cao-tong-hop-{ref.replace('/', '-')}.{fmt}"
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
