"""The consolidated report converted by LibreOffice: A4 pages, as a printer would see them.

CI needs Debian's ``libreoffice-writer-nogui`` (``soffice``); without it the test
is skipped and says so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.steps import REPORTS, accept, ok, submit

A4 = (595.3, 841.9)  # points


def pages(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's MediaBox width and height, read from the PDF's page objects."""
    boxes = []
    for obj in re.split(rb"\bendobj\b", pdf):
        if re.search(rb"/Type\s*/Page(?![s\w])", obj):
            box = re.search(rb"/MediaBox\s*\[\s*([\d.\s-]+)\]", obj)
            if box is None:  # inherited from the page tree
                box = re.search(rb"/MediaBox\s*\[\s*([\d.\s-]+)\]", pdf)
            x0, y0, x1, y1 = (float(v) for v in box.group(1).split())
            boxes.append((x1 - x0, y1 - y0))
    return boxes


def test_the_report_prints_on_a4(open_cycle: Callable[..., Any], tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
        )
    cli = open_cycle
    for body in ("HDND", "UBND", "TAND", "SO-TTTT"):
        submit(cli, body, "2024-07-09T10:00", REPORTS / f"{body}.md")
        accept(cli, body, "2024-07-15T09:00")
    docx = tmp_path / "bao-cao.docx"
    ok(cli("synthesize", "QD238/2024-H1", "--docx", docx, "--now", "2024-07-22T09:00", "--json"))
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = (tmp_path / "bao-cao.pdf").read_bytes()
    sizes = pages(pdf)
    assert 2 <= len(sizes) <= 6  # the report, its signature, and the annex on its own page
    for width, height in sizes:
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1
