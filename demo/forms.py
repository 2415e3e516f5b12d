"""Filling a data-form template as a body's clerk would in Excel (openpyxl), for the demo
and the tests: the values go into the template's yellow cells, nothing else changes."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

# What the demo's bodies report on form BM01 (HN, TIN, KN, KN_GQ; the rate is computed).
DEMO_VALUES: dict[str, dict[str, Any]] = {
    "HDND": {"HN": 12, "TIN": 45, "KN": 120, "KN_GQ": 102},
    "UBND": {"HN": 25, "TIN": 130, "KN": 310, "KN_GQ": 260, "GHI_CHU": "Số liệu đến 14/6/2024"},
    "SO-TTTT": {"HN": 8, "TIN": 210, "KN": 15, "KN_GQ": 15},
    "VKSND": {"HN": 6, "TIN": 30, "KN": 40, "KN_GQ": 36},
    "TAND": {"HN": 5, "TIN": 22, "KN": 18, "KN_GQ": 16},
    "SO-TP": {"HN": 10, "TIN": 60, "KN": 35, "KN_GQ": 30},
}
# The communes' bodies, on the same form of their commune board's program (XA238-…).
COMMUNE_VALUES: dict[str, dict[str, Any]] = {
    "HDND-PHUTUC": {"HN": 4, "TIN": 6, "KN": 36, "KN_GQ": 30},
    "UBND-PHUTUC": {"HN": 5, "TIN": 18, "KN": 22, "KN_GQ": 19},
    "MTTQ-PHUTUC": {"HN": 6, "TIN": 3, "KN": 14, "KN_GQ": 11},
    "HDND-TANTHACH": {"HN": 3, "TIN": 4, "KN": 21, "KN_GQ": 17},
    "UBND-TANTHACH": {"HN": 3, "TIN": 9, "KN": 15, "KN_GQ": 15},
    "HDND-ANKHANH": {"HN": 3, "TIN": 5, "KN": 18, "KN_GQ": 14},
    "UBND-ANKHANH": {"HN": 2, "TIN": 7, "KN": 26, "KN_GQ": 20},
    "MTTQ-ANKHANH": {"HN": 4, "TIN": 2, "KN": 9, "KN_GQ": 9},
}


def fill(template: bytes, values: Mapping[str, Mapping[str, Any]]) -> bytes:
    """``template`` with ``values`` (form code → cell key → value) typed in."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(template))
    info = book["_phoihop"]
    declared = [row[1] for row in info.iter_rows(values_only=True) if row[0] == "form"]
    for code, cells in values.items():
        if code not in declared:
            raise KeyError(f"the template has no form {code}")
        sheet = book[code]
        places = _places(sheet)
        for key, value in cells.items():
            row, column = places[key]
            sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _places(sheet: Any) -> dict[str, tuple[int, int]]:
    """Where each cell key sits, read from the sheet's own codes (a list form: column B;
    a table form: column B for rows and row 8 for columns)."""
    from rules.forms import FIRST_ROW, TABLE_CODES_ROW, TABLE_FIRST_COLUMN, TABLE_FIRST_ROW

    codes_row = [c.value for c in sheet[TABLE_CODES_ROW]]
    if len(codes_row) >= TABLE_FIRST_COLUMN and codes_row[2] == "Mã cột →":
        columns = {v: i + 1 for i, v in enumerate(codes_row) if i + 1 >= TABLE_FIRST_COLUMN and v}
        places = {}
        for r in range(TABLE_FIRST_ROW, sheet.max_row + 1):
            row_code = sheet.cell(row=r, column=2).value
            if row_code:
                for col_code, c in columns.items():
                    places[f"{row_code}.{col_code}"] = (r, c)
        return places
    return {
        sheet.cell(row=r, column=2).value: (r, 5)
        for r in range(FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(row=r, column=2).value
    }
