"""Recipients stored by the sweep survive address parsing with their names whole."""

from __future__ import annotations

from email.utils import getaddresses
from types import SimpleNamespace

from services.escalation import _recipients


def test_a_name_with_a_comma_is_one_recipient() -> None:
    body = SimpleNamespace(
        focal_name="Văn phòng Sở Văn hóa, Thể thao và Du lịch",
        focal_email="vp@svhttdl.example",
        head_name='Ông "Tùng"',
        head_email="gd@svhttdl.example",
    )
    nobody = SimpleNamespace(focal_name=None, focal_email=None, head_name=None, head_email=None)
    program = SimpleNamespace(leadership_name=None, leadership_email=None)
    stored = _recipients(("focal", "head"), body, nobody, program)
    assert getaddresses(stored) == [
        ("Văn phòng Sở Văn hóa, Thể thao và Du lịch", "vp@svhttdl.example"),
        ('Ông "Tùng"', "gd@svhttdl.example"),
    ]
