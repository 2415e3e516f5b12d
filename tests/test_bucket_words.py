"""The four buckets read the same on every face: the CLI, the pages and the sheets.

They are the official practice's (rules.tasks.BUCKET_WORDS). The cycle page said
"Đang thực hiện, trong hạn" where ``cycle show`` said "chưa đến hạn" and the cycle
tree "chưa gửi, trong hạn", for the same tasks.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from openpyxl import load_workbook

from rules.tasks import BUCKET_WORDS, bucket_words

CYCLE = "QD238/2024-H1"
NOW = ("--now", "2024-07-10T09:00")


def test_cycle_show_counts_the_buckets_in_the_pages_words(open_cycle: Callable[..., Any]) -> None:
    vi = open_cycle("cycle", "show", CYCLE, *NOW)
    assert vi.code == 0, vi.err
    assert (
        "Hoàn thành đúng hạn: 0 · Hoàn thành trễ hạn: 0 · Đang thực hiện, trong hạn: 7 · Quá hạn: 0"
    ) in vi.out
    en = open_cycle("cycle", "show", CYCLE, *NOW, "--lang", "en")
    assert "Done on time: 0 · Done late: 0 · Pending, within deadline: 7 · Overdue: 0" in en.out


def test_dashboard_sheet_and_command_use_the_same_words(
    open_cycle: Callable[..., Any], tmp_path: Any
) -> None:
    sheet = tmp_path / "bang.xlsx"
    shown = open_cycle("dashboard", *NOW, "--xlsx", str(sheet))
    assert shown.code == 0, shown.err
    for word in bucket_words(short=True):  # the terminal's tables: the short form
        assert word in shown.out
    book = load_workbook(io.BytesIO(sheet.read_bytes()), read_only=True)
    heads = {c for ws in book.worksheets for r in ws.iter_rows(values_only=True) for c in r}
    assert {vi for vi, _en in BUCKET_WORDS.values()} <= heads
    assert "Chưa đến hạn" not in heads


def test_the_api_names_the_buckets_in_the_one_order() -> None:
    """The API's Bucket type is written out (a type checker reads it), so it is held to
    rules.tasks.BUCKETS here: the OpenAPI enum lists the buckets as every table does."""
    import typing

    from rules.tasks import BUCKETS
    from web.schemas import Bucket

    assert typing.get_args(Bucket) == BUCKETS
