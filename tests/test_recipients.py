"""Recipients stored by the sweep survive address parsing with their names whole."""

from __future__ import annotations

from email.utils import getaddresses

from rules.messages import addresses


def test_a_name_with_a_comma_is_one_recipient() -> None:
    people = {
        "focal": ("Văn phòng Sở Văn hóa, Thể thao và Du lịch", "vp@svhttdl.example"),
        "head": ('Ông "Tùng"', "gd@svhttdl.example"),
        "coordinator_head": (None, None),
    }
    stored = addresses(("focal", "head", "coordinator_head", "focal"), people)
    assert getaddresses(stored) == [
        ("Văn phòng Sở Văn hóa, Thể thao và Du lịch", "vp@svhttdl.example"),
        ('Ông "Tùng"', "gd@svhttdl.example"),
    ]
