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
from services.provision import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_REPORT_BYTES, Upload
from web.limits import BodyTooLarge
from web.schemas import AttachmentIn, clean_text


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
