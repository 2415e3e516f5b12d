"""Which language the command line answers in: Vietnamese, or English on request.

The users are Vietnamese officials, so every answer, table and error line is in
Vietnamese unless ``--lang en`` or ``PHOIHOP_LANG=en`` asks for English (scripts
and logs that were written against the English words). ``cli.main`` puts
``--lang`` into the environment before the command runs, as it does ``--now``.
"""

from __future__ import annotations

import os


def current() -> str:
    """``"vi"`` or ``"en"``; anything but ``en`` is Vietnamese (settings validate it)."""
    return "en" if os.environ.get("PHOIHOP_LANG", "").strip().lower() == "en" else "vi"


def english() -> bool:
    return current() == "en"


def say(vi: str, en: str) -> str:
    """The words in the command line's language: ``say("Đã mở kỳ …", "Opened …")``."""
    return en if english() else vi
