"""What a client uploads, turned into a submission's text and :class:`Upload` list.

The JSON API, the multipart API and the submit form all read reports and
attachments here, so the size, count, encoding and file-name rules are applied
once and every refusal is a :class:`UserError` (a 4xx) or :class:`BodyTooLarge`
(413), never a 500. The service checks the limits again for the CLI.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from typing import Any

from starlette.datastructures import UploadFile

from rules.errors import UserError
from services.provision import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_FORM_FILES,
    MAX_REPORT_BYTES,
    MAX_SOURCE_BYTES,
    Upload,
)
from web.limits import BodyTooLarge
from web.schemas import AttachmentIn, clean_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PACKAGES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # Office files: zip, or OLE2 (.doc, encrypted)


async def read_bounded(upload: UploadFile, limit: int) -> bytes:
    """Read an uploaded file, refusing (413) past ``limit`` without reading it all."""
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise BodyTooLarge(limit)
    return data


async def report_file(upload: UploadFile) -> str:
    """An uploaded report: UTF-8 (a BOM is dropped), at most ``MAX_REPORT_BYTES``."""
    name = upload.filename or "report"
    data = await read_bounded(upload, MAX_REPORT_BYTES)
    try:
        return clean_text(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UserError(f"{name}: the report must be UTF-8 text") from None
    except UserError as exc:
        raise UserError(f"{name}: {exc}") from None


async def report_source(upload: UploadFile) -> Upload:
    """An uploaded report as the body sent it (Word, text, Markdown), for the service
    to read: a Word file up to ``MAX_SOURCE_BYTES``, a text file up to
    ``MAX_REPORT_BYTES`` (413 past either)."""
    name = clean_text(upload.filename or "")[:255] or "report"
    data = await read_bounded(upload, MAX_SOURCE_BYTES)
    if not data.startswith(_PACKAGES) and len(data) > MAX_REPORT_BYTES:
        raise BodyTooLarge(MAX_REPORT_BYTES)
    return Upload(name, data, upload.content_type)


async def form_files(items: Iterable[Any]) -> list[Upload]:
    """Filled data-form workbooks (entries without a file name are empty inputs)."""
    files = [f for f in items if isinstance(f, UploadFile) and f.filename]
    if len(files) > MAX_FORM_FILES:
        raise UserError(f"at most {MAX_FORM_FILES} form workbooks per version")
    return [
        Upload(clean_text(f.filename or "")[:255] or "form.xlsx",
               await read_bounded(f, MAX_SOURCE_BYTES), f.content_type)
        for f in files
    ]  # fmt: skip


def form_fields(data: Any, limit: int = 2000) -> dict[str, dict[str, str]]:
    """Values typed into the web form: fields named ``form:CODE:CELL``."""
    found: dict[str, dict[str, str]] = {}
    for key, value in data.multi_items():
        if not isinstance(key, str) or not key.startswith("form:") or not isinstance(value, str):
            continue
        _, code, cell = (key.split(":", 2) + ["", ""])[:3]
        if len(value) > limit:
            raise UserError(f"form {code}, cell {cell}: at most {limit} characters")
        if code and cell:
            found.setdefault(code, {})[cell] = clean_text(value).strip()
    return found


def pasted_report(text: Any) -> str:
    """A report pasted into the form, with the same size bound as an uploaded one."""
    text = text if isinstance(text, str) else ""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_REPORT_BYTES:
        raise BodyTooLarge(MAX_REPORT_BYTES)
    return clean_text(text)


async def attachment_files(items: Iterable[Any]) -> list[Upload]:
    """Uploaded attachments (entries without a file name are empty form inputs, skipped);
    counted before any is read."""
    files = [f for f in items if isinstance(f, UploadFile) and f.filename]
    if len(files) > MAX_ATTACHMENTS:
        raise UserError(f"at most {MAX_ATTACHMENTS} attachments per version")
    return [
        Upload(
            clean_text(f.filename or "")[:255] or "attachment",
            await read_bounded(f, MAX_ATTACHMENT_BYTES),
            f.content_type,
        )
        for f in files
    ]


def base64_attachments(items: list[AttachmentIn]) -> list[Upload]:
    """The JSON API's attachments (names and count already validated by the schema)."""
    uploads = []
    for item in items:
        try:
            data = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise UserError(f"attachment {item.filename}: content_base64 is not base64") from None
        uploads.append(Upload(item.filename, data, item.content_type))
    return uploads
