"""Reading what bodies send, and summing their forms (issue "Documents in", "Speed").

Targets, each next to a baseline measured in the same run on the same input:

- parse a 2 MB .docx (zip checks, python-docx, numbering, outline matching): < 1 s;
  baseline: python-docx opening it and reading every paragraph's text;
- read a filled form of 200 indicators (zip checks, openpyxl read-only, the checks):
  < 200 ms; baseline: openpyxl read-only reading every cell's value;
- sum a form (200 indicators, a rate from its parts) across 5,000 bodies: < 1 s;
  baseline: a plain ``sum`` per indicator over the same dicts;
- write the summed .xlsx for 5,000 bodies (totals sheet, per-form sheet) of a 20-indicator
  form: < 2 s; baseline: XlsxWriter writing the same cells in constant-memory mode. The
  200-indicator form's workbook (2 million cells) is shown too, for information: there
  XlsxWriter's own pace (its baseline) is the whole cost.

The .docx is a State-form report (masthead table, numbered bold headings from
numbering.xml, a data table, the signature table) whose body paragraphs are
pseudo-random Vietnamese words, so it compresses like real text: 2 MB zipped.
"""

from __future__ import annotations

import io
import random
import sys
from typing import Any

import _data  # bench/ is sys.path[0] when run as a script

REPEAT = 5
BODIES = 5000
INDICATORS = 200
WRITE_INDICATORS = 20
WORDS = str.split(
    "tuyên truyền phối hợp kết quả thực hiện nghị quyết cán bộ đảng viên nhân dân hội đồng "
    "ủy ban tỉnh huyện xã kiến nghị cử tri giải quyết chương trình kế hoạch kinh tế xã hội "
    "pháp luật giám sát thông tin báo chí tổ chức hội nghị triển khai nâng cao chất lượng "
    "hiệu quả đồng thuận ổn định an ninh chính trị trật tự địa bàn dự án công trình đất đai"
)


def docx_of_size(target: int = 2 * 1024 * 1024) -> bytes:
    """An official report that zips to about ``target`` bytes."""
    from tests.docx_samples import official_report

    rng = random.Random(238)

    def filler(n: int) -> str:
        words = rng.choices(WORDS, k=60)
        return " ".join(words).capitalize() + f" ({n})."

    count = 4000
    while True:
        data = official_report(paragraphs=count, filler=filler)
        if len(data) >= target * 0.95:
            return data
        count = int(count * target / len(data) * 1.02)


def form_spec(n: int = INDICATORS) -> dict[str, Any]:
    from rules.forms import digest
    from rules.specs import FormSpec

    indicators = [
        {"code": f"CT{i:03d}", "name": f"Chỉ tiêu số {i}", "unit": "lượt", "type": "integer",
         "min": 0, "max": 10**9}
        for i in range(n - 1)
    ] + [{"code": "TL", "name": "Tỷ lệ CT001/CT000", "type": "percentage",
          "numerator": "CT001", "denominator": "CT000", "required": False}]  # fmt: skip
    spec = FormSpec.model_validate(
        {"code": "BM200", "title": "Biểu 200 chỉ tiêu", "indicators": indicators}
    ).model_dump()
    return spec | {"digest": digest(spec)}


def main() -> int:
    _data.fresh_data_dir("phoihop-bench-documents-")
    import docx
    import openpyxl
    import xlsxwriter

    from demo.forms import fill
    from rules import forms as rules
    from rules.outline import read_report
    from services.exports import totals_xlsx
    from services.forms import Identity, read_workbook, write_template
    from services.intake import read_report_file

    outline = [
        {"code": "I", "title": "Đánh giá tình hình và kết quả thực hiện Quyết định số 238"},
        {"code": "II", "title": "Những nhiệm vụ trọng tâm trong thời gian tới"},
    ]
    big = docx_of_size()
    extracted = read_report_file("big.docx", big)
    text_size = len(extracted.text.encode("utf-8"))

    def parse() -> None:
        found = read_report_file("big.docx", big)
        read_report(found.lines, outline, found.head)

    def parse_raw() -> None:
        document = docx.Document(io.BytesIO(big))
        "\n".join(p.text for p in document.paragraphs)

    form = form_spec()
    who = Identity("BENCH", "Chương trình thử", "B00001", "Cơ quan thử", "2024-H1", "6 tháng")
    values = {c.key: 1000 + i for i, c in enumerate(rules.cells(form)) if c.key != "TL"}
    filled = fill(write_template(who, [form]), {"BM200": values})

    def read_form() -> None:
        read_workbook("f.xlsx", filled, [form], program="BENCH", body="B00001",
                      period="2024-H1")  # fmt: skip

    def read_form_raw() -> None:
        book = openpyxl.load_workbook(io.BytesIO(filled), read_only=True, data_only=True)
        [c for row in book["BM200"].iter_rows(values_only=True) for c in row]
        book.close()

    rng = random.Random(5000)
    bodies = {f"B{i:05d}": f"Cơ quan số {i}" for i in range(BODIES)}
    entries = {
        code: {c.key: rng.randint(0, 10_000) + (1 if c.key == "CT000" else 0)
               for c in rules.cells(form) if c.key != "TL"}
        for code in list(bodies)[: BODIES - 7]  # a few missing
    }  # fmt: skip
    keys = [c.key for c in rules.cells(form) if c.key != "TL"]
    totals: list[Any] = []

    def sum_all() -> None:
        totals[:] = [rules.sum_form(form, bodies, entries)]

    def sum_raw() -> None:
        {k: sum(e[k] for e in entries.values() if k in e) for k in keys}

    sum_all()
    wide = totals[0]
    # The .xlsx is written for a form of the usual size (20 indicators: 200,000 cells over
    # two sheets) and, for information, for the 200-indicator one (2,000,000 cells), where
    # XlsxWriter itself is the cost (the baseline).
    small = form_spec(WRITE_INDICATORS)
    small_keys = [c.key for c in rules.cells(small) if c.key != "TL"]
    small_entries = {b: {k: e[k] for k in small_keys if k in e} for b, e in entries.items()}
    narrow = rules.sum_form(small, bodies, small_entries)

    def write_sum(which: Any) -> Any:
        return lambda: totals_xlsx([which], ref="BENCH/2024-H1", program_title="Chương trình",
                                   period_label="6 tháng đầu năm 2024")  # fmt: skip

    def write_raw(columns: list[str], data: dict[str, dict[str, int]]) -> Any:
        def run() -> None:
            out = io.BytesIO()
            book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
            for name in ("Tổng hợp", "BM"):
                sheet = book.add_worksheet(name)
                for y, code in enumerate(bodies):
                    row = data.get(code, {})
                    sheet.write_row(y, 0, [code, bodies[code], *(row.get(k) for k in columns)])
            book.close()

        return run

    rows = [
        _data.Row(f"parse a {len(big) / 2**20:.1f} MB .docx ({text_size / 2**20:.1f} MB of text)",
                  _data.measure(parse, repeat=REPEAT), 1.0),
        _data.Row("  baseline: python-docx reads its paragraphs", _data.measure(parse_raw,
                  repeat=REPEAT)),
        _data.Row(f"read a filled form of {INDICATORS} indicators", _data.measure(read_form,
                  repeat=REPEAT), 0.2),
        _data.Row("  baseline: openpyxl read-only reads its cells", _data.measure(read_form_raw,
                  repeat=REPEAT)),
        _data.Row(f"sum a {INDICATORS}-indicator form across {BODIES:,} bodies",
                  _data.measure(sum_all, repeat=REPEAT), 1.0),
        _data.Row("  baseline: plain sum per indicator", _data.measure(sum_raw, repeat=REPEAT)),
        _data.Row(f"write the summed .xlsx for {BODIES:,} bodies ({WRITE_INDICATORS} indicators)",
                  _data.measure(write_sum(narrow), repeat=REPEAT), 2.0),
        _data.Row("  baseline: XlsxWriter writes the same cells",
                  _data.measure(write_raw(small_keys, small_entries), repeat=REPEAT)),
        _data.Row(f"write the summed .xlsx for {BODIES:,} bodies ({INDICATORS} indicators)",
                  _data.measure(write_sum(wide), repeat=1)),
        _data.Row("  baseline: XlsxWriter writes the same cells",
                  _data.measure(write_raw(keys, entries), repeat=1)),
    ]  # fmt: skip
    _data.print_table("Documents in: reading reports and forms, summing forms", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
