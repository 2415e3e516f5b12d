"""The JSON the API accepts, validated before any service sees it.

Text fields must be valid Unicode (no lone surrogates, no NUL) and are stored
NFC-normalised, so Vietnamese words always compare equal; lengths and dates
are bounded so odd input is a 422, never an error deep in a service.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from services.provision import MAX_ATTACHMENT_BYTES, MAX_REPORT_BYTES

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
MAX_ATTACHMENTS = 5


def clean_text(value: str) -> str:
    """NFC, valid UTF-8, no NUL characters."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from None
    return unicodedata.normalize("NFC", value)


Text = Annotated[str, AfterValidator(clean_text)]
Day = Annotated[date, Field(ge=EARLIEST, le=LATEST)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class AttachmentIn(Strict):
    filename: Annotated[Text, Field(min_length=1, max_length=255)]
    content_type: Annotated[Text, Field(max_length=127)] | None = None
    content_base64: Annotated[str, Field(max_length=(MAX_ATTACHMENT_BYTES + 2) // 3 * 4 + 8)]


class SubmissionIn(Strict):
    """A report version: Markdown/text with the outline's headings, optional attachments."""

    text: Annotated[Text, Field(min_length=1, max_length=MAX_REPORT_BYTES)]
    attachments: Annotated[list[AttachmentIn], Field(max_length=MAX_ATTACHMENTS)] = []


class ReviewIn(Strict):
    """Accept the latest version, or return it with a comment and a new due date."""

    decision: Literal["accept", "return"]
    comment: Annotated[Text, Field(max_length=4000)] | None = None
    new_due_date: Day | None = None


class ExtensionIn(Strict):
    new_due_date: Day
    reason: Annotated[Text, Field(min_length=1, max_length=4000)]


class CycleIn(Strict):
    """Open a cycle of a program for a period, citing the request letter."""

    program: Annotated[Text, Field(min_length=1, max_length=64)]
    period: Annotated[Text, Field(min_length=1, max_length=16)]
    letter_no: Annotated[Text, Field(max_length=64)] | None = None
    letter_date: Day | None = None
    due: Day | None = None


class ErrorOut(BaseModel):
    error: str
