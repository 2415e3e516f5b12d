"""The organisation tree: bodies that coordinate and bodies that report.

Trees change (2025: provinces merged, districts abolished), so a body carries
the dates it exists between; old cycles keep pointing at the bodies they had.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class Body(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=64)
    name: str
    level: str = Field(max_length=16)
    parent_code: str | None = Field(default=None, max_length=64, index=True)
    head_name: str | None = None
    head_title: str | None = None
    head_email: str | None = None
    focal_name: str | None = None
    focal_email: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    updated_at: datetime = Field(sa_type=UTCDateTime)
    # How its documents look (rules.documents, rules.numbering); all optional.
    kind: str | None = Field(default=None, max_length=8)  # party | state; None: from its name
    symbol: str | None = Field(default=None, max_length=32)  # BTGTU, HĐND: in its numbers
    place: str | None = None  # its date line's place (Bến Tre); None: the parent's
    short_name: str | None = None  # the name its masthead prints; None: derived
    number_series: str | None = Field(default=None, max_length=32)  # Party register's term

    def exists_on(self, day: date) -> bool:
        """Whether the body existed on ``day`` (open-ended dates mean always)."""
        starts_ok = self.valid_from is None or self.valid_from <= day
        ends_ok = self.valid_to is None or day <= self.valid_to
        return starts_ok and ends_ok
