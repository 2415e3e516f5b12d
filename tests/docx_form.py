"""Reading a .docx as its XML, for the form checklist of shared/DOCUMENTS.md §5."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass
class Para:
    text: str
    bold: bool  # every run with text is bold
    italic: bool
    underline: bool
    sizes: set[str]
    jc: str | None
    first_line: str | None
    after: int | None
    element: object


class Docx:
    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.parts = {n: self.zip.read(n) for n in self.zip.namelist()}
        self.doc = etree.fromstring(self.parts["word/document.xml"])
        self.styles = etree.fromstring(self.parts["word/styles.xml"])

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.parts[name])

    @property
    def body(self) -> etree._Element:
        return self.doc.find(q("body"))

    def sect(self) -> etree._Element:
        return self.body.find(q("sectPr"))

    def fonts(self) -> set[str]:
        """Every font any w:rFonts of any word/*.xml part names (theme fonts as 'theme')."""
        found = set()
        for name, blob in self.parts.items():
            if not (name.startswith("word/") and name.endswith(".xml")):
                continue
            root = etree.fromstring(blob)
            for fonts in root.iter(q("rFonts")):
                for attr, value in fonts.attrib.items():
                    found.add("theme" if attr.endswith("Theme") or "theme" in attr else value)
        return found

    def normal_size(self) -> str | None:
        for style in self.styles.iter(q("style")):
            if style.get(q("styleId")) == "Normal":
                sz = style.find(f"{q('rPr')}/{q('sz')}")
                return sz.get(q("val")) if sz is not None else None
        return None

    def tables(self) -> list[etree._Element]:
        return self.body.findall(q("tbl"))

    def paras(self, root: etree._Element | None = None) -> list[Para]:
        root = self.body if root is None else root
        return [para(p) for p in root.iter(q("p"))]

    def body_paras(self) -> list[Para]:
        """Paragraphs outside tables (the masthead and signature are tables)."""
        return [para(p) for p in self.body.findall(q("p"))]

    def text(self) -> str:
        return "\n".join(p.text for p in self.paras())

    def header(self, kind: str) -> etree._Element:
        ref = self.sect().find(f"{q('headerReference')}[@{q('type')}='{kind}']")
        rid = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        rels = etree.fromstring(self.parts["word/_rels/document.xml.rels"])
        for rel in rels:
            if rel.get("Id") == rid:
                return self.xml("word/" + rel.get("Target"))
        raise KeyError(kind)


def para(p: etree._Element) -> Para:
    runs = [r for r in p.iter(q("r")) if "".join(t.text or "" for t in r.iter(q("t")))]
    text = "".join(t.text or "" for t in p.iter(q("t")))

    def on(run: etree._Element, tag: str) -> bool:
        el = run.find(f"{q('rPr')}/{q(tag)}")
        return el is not None and el.get(q("val"), "true") not in ("0", "false", "none")

    sizes = set()
    for r in runs:
        sz = r.find(f"{q('rPr')}/{q('sz')}")
        if sz is not None:
            sizes.add(sz.get(q("val")))
    ppr = p.find(q("pPr"))
    jc = ind = spacing = None
    if ppr is not None:
        jc_el, ind_el, sp_el = ppr.find(q("jc")), ppr.find(q("ind")), ppr.find(q("spacing"))
        jc = jc_el.get(q("val")) if jc_el is not None else None
        ind = ind_el.get(q("firstLine")) if ind_el is not None else None
        spacing = (
            int(sp_el.get(q("after"))) if sp_el is not None and sp_el.get(q("after")) else None
        )
    return Para(
        text=text,
        bold=bool(runs) and all(on(r, "b") for r in runs),
        italic=bool(runs) and all(on(r, "i") for r in runs),
        underline=bool(runs) and all(on(r, "u") for r in runs),
        sizes=sizes,
        jc=jc,
        first_line=ind,
        after=spacing,
        element=p,
    )


def cells(table: etree._Element) -> list[list[etree._Element]]:
    return [row.findall(q("tc")) for row in table.findall(q("tr"))]


def borders_nil(table: etree._Element) -> bool:
    borders = table.find(f"{q('tblPr')}/{q('tblBorders')}")
    return borders is not None and all(b.get(q("val")) in ("nil", "none") for b in borders)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


PARTY_NUMBER = re.compile(r"^Số (\d{2,}| +)-(BC|CV)/[A-ZĐ]+$")
STATE_NUMBER = re.compile(r"^Số: (\d{2,}| *)/[A-ZĐ-]+$")
DATE_LINE = re.compile(r"^[^,]+, ngày (0[1-9]|[12]\d|3[01]) tháng (0[12]|[3-9]|1[012]) năm \d{4}$")
RECIPIENT = re.compile(r"^- .+;$")
