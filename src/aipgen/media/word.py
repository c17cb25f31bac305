"""Turn the Word format's HTML into a Word file (.docx) with Pandoc.

Pandoc reads the programme's HTML (the same templates as the PDFs: footnotes inline, charts as
images) into its document tree; this module turns that tree into what Word needs and lets Pandoc
write the file: chapters and sections in Word's heading styles (so its navigation and contents
work), tables as Word tables with their header rows, charts as PNG images with their alt text,
footnotes as Word footnotes, the cover's title, subtitle, jobcenter and date as the document's
title block, and Word's own table of contents. A draft (`--entwurf`) carries its mark in the
header of every page and the change report after the programme. The house styles (font,
colours of the theme) come from templates/common/word.yaml and the programme's theme.

Pandoc runs sandboxed: it reads no file and fetches nothing; every image reaches it as data.
"""

from __future__ import annotations

import datetime
import io
import json
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pypandoc
import yaml
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.run import Run
from pydantic import BaseModel, ConfigDict, Field

from aipgen.base.formats import Files, Job, OutputFormat
from aipgen.base.numbers import format_date
from aipgen.base.paths import DesignFiles
from aipgen.compute.document import Document
from aipgen.content.layouts import theme_colours
from aipgen.content.safe.images import published_image
from aipgen.media.render import CHANGES_PAGE, data_uri, issued

Node = dict[str, Any]
Rule = Callable[[Node], Node | list[Node]]
STYLE_FILE = "word.yaml"  # templates/common/: the house styles of the Word file
CHART_DPI = 200  # sharp in print, small enough for mail
NOTE_CLASS = "footnote"  # a footnote's text where its mark stands (parts.html.j2, paged)
NUMBER_CLASS = "num"  # a table cell with a figure (parts.html.j2)
# the invisible decimals and unit that align a column's commas on the page (parts.html.j2):
# Word aligns its cells itself, and the text must stay the figure
PAD_CLASS = "pad"
# a column's share of a table's width follows its longest text, within these bounds (characters)
COLUMN_WEIGHTS = (9, 18)
WIDE_TEXT = 120  # in a table of n columns, a column's longest text counts up to 120 / n


class WordStyles(BaseModel):
    """templates/common/word.yaml: the house styles Pandoc's own do not have."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    font: str = Field(alias="schrift")
    size: float = Field(alias="schriftgroesse", gt=4, le=30)
    table_size: float = Field(alias="tabellen_schriftgroesse", gt=4, le=30)
    heading_sizes: list[float] = Field(alias="ueberschriften")  # Heading 1, 2, … in points
    page_break: str = Field(alias="seitenumbruch")  # Office Open XML of a page break
    draft: str = Field(alias="entwurf")  # a draft's mark in every page's header; {datum}
    contents: str = Field(alias="inhaltsverzeichnis")  # the title of Word's table of contents
    page: tuple[float, float] = Field(alias="seite")  # width and height in millimetres
    margin: float = Field(alias="rand", ge=5, le=50)  # on every side, in millimetres
    cell_margin: float = Field(alias="zellenrand", ge=0, le=10)  # left and right in a cell, mm


def render_word(fmt: OutputFormat, job: Job) -> Files:
    doc = job.doc
    tree = pandoc_tree(job.html)
    blocks = walk(tree["blocks"], word_rules(doc))
    styles = word_styles(doc.design)
    changes = job.shared.get(CHANGES_PAGE)
    if isinstance(changes, str):
        blocks += [raw_xml(styles.page_break), *pandoc_tree(changes)["blocks"]]
    tree["blocks"], tree["meta"] = blocks, title_block(doc, styles)
    data = pandoc_docx(tree)
    stamp = styles.draft.format(datum=format_date(doc.draft)) if doc.draft else ""
    return {fmt.file(doc.name): finished(data, doc, styles, stamp)}


def pandoc_tree(html: str) -> Node:
    """Pandoc's document tree of an HTML page (its JSON form)."""
    tree: Node = json.loads(pypandoc.convert_text(html, "json", format="html", sandbox=True))
    return tree


def pandoc_docx(tree: Node) -> bytes:
    """The .docx Pandoc writes of a document tree, with Word's table of contents."""
    done = pandoc("-f", "json", "-t", "docx", "--toc", "-o", "-", given=json.dumps(tree).encode())
    if done.returncode:
        raise RuntimeError(f"pandoc: {done.stderr.decode(errors='replace')}")
    return done.stdout


def pandoc(*arguments: str, given: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """Pandoc (shipped with pypandoc-binary) sandboxed: it reads no file but those named and
    fetches nothing."""
    command = [pypandoc.get_pandoc_path(), "--sandbox", *arguments]
    return subprocess.run(command, input=given, capture_output=True)


def walk(node: Any, rules: dict[str, Rule]) -> Any:
    """The tree with each element (bottom up) replaced by what its type's rule gives; a rule
    that gives a list puts those elements in its place (none: the element is dropped)."""
    if isinstance(node, list):
        out: list[Any] = []
        for item in node:
            new = walk(item, rules)
            out.extend(new if isinstance(item, dict) and isinstance(new, list) else [new])
        return out
    if isinstance(node, dict):
        node = {key: walk(value, rules) for key, value in node.items()}
        rule = rules.get(node.get("t", ""))
        return rule(node) if rule else node
    return node


def word_rules(doc: Document) -> dict[str, Rule]:
    """What becomes of the HTML's elements in Word."""
    charts = {info.anchor: info for info in doc.charts.values()}

    def figure(node: Node) -> list[Node]:
        attr, caption, content = node["c"]
        info = charts.get(attr[0])
        if info is None:  # a table's figure: the table (its caption is its own) and its notes
            return list(content)
        from aipgen.charts.svg import render_png  # matplotlib loads only for a Word file

        uri = data_uri(render_png(info.data, doc.design, CHART_DPI), "image/png")
        content = walk(content, {"Image": lambda image: with_target(image, uri)})
        drawing = [block for block in content if has_image(block)]
        rest = [block for block in content if not has_image(block)]
        return [{"t": "Figure", "c": [attr, caption, drawing]}, *rest]

    def image(node: Node) -> Node | list[Node]:
        source = node["c"][2][0]
        if source.startswith("data:"):
            return node
        if source not in doc.all_images:  # nothing from outside the programme folder
            return []
        path = doc.root / source
        return with_target(node, data_uri(published_image(path), media_type(path)))

    return {
        "Header": shifted,
        "Span": note_or_span,
        "Figure": figure,
        "Image": image,
        "Table": figures_right,
    }


def figures_right(table: Node) -> Node:
    """A table whose number cells (class "num" in the HTML) are set flush right."""
    _, _, _, head, bodies, foot = table["c"]
    rows = [*head[1], *(row for body in bodies for row in (*body[2], *body[3])), *foot[1]]
    for row in rows:
        for cell in row[1]:
            if NUMBER_CLASS in cell[0][1]:
                cell[1] = {"t": "AlignRight"}
    return table


def has_image(node: Any) -> bool:
    if isinstance(node, list):
        return any(has_image(item) for item in node)
    if isinstance(node, dict):
        return node.get("t") == "Image" or has_image(node.get("c", []))
    return False


def shifted(node: Node) -> Node:
    """A heading one level up (the chapter, h2 in HTML, is Word's Heading 1)."""
    level, attr, inlines = node["c"]
    return {"t": "Header", "c": [max(level - 1, 1), attr, inlines]}


def note_or_span(node: Node) -> Node | list[Node]:
    """A footnote's text as a Word footnote at its mark; a column's alignment padding dropped;
    other spans as they are."""
    attr, inlines = node["c"]
    if NOTE_CLASS in attr[1]:
        return {"t": "Note", "c": [{"t": "Para", "c": inlines}]}
    if PAD_CLASS in attr[1]:
        return []
    return node


def with_target(image: Node, uri: str) -> Node:
    attr, alt, (_, title) = image["c"]
    return {"t": "Image", "c": [attr, alt, [uri, title]]}


MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def media_type(path: Path) -> str:
    return MEDIA_TYPES.get(path.suffix.lower(), "image/svg+xml")


def raw_xml(xml: str) -> Node:
    return {"t": "RawBlock", "c": ["openxml", xml]}


def title_block(doc: Document, styles: WordStyles) -> Node:
    """The cover as the Word file's title block: title, subtitle, jobcenter, date; the title
    of the table of contents."""
    meta = doc.meta

    def text(value: str) -> Node:
        return {"t": "MetaInlines", "c": [{"t": "Str", "c": value}]}

    block = {
        "title": text(meta.title),
        "author": text(meta.jobcenter),
        "lang": text("de-DE"),
        "toc-title": text(styles.contents),
    }
    if meta.subtitle:
        block["subtitle"] = text(meta.subtitle)
    if meta.date:
        block["date"] = text(format_date(meta.date))
    return block


def word_styles(design: DesignFiles) -> WordStyles:
    path = design.find("templates", "common", STYLE_FILE)
    return WordStyles.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def finished(data: bytes, doc: Document, styles: WordStyles, stamp: str) -> bytes:
    """The file with the house styles, a draft's mark in every page's header, dated by the
    programme (not by the build), byte for byte the same for the same programme."""
    word = docx.Document(io.BytesIO(data))
    house_styles(word, styles, theme_colours(doc.meta.theme, doc.design)["primary"])
    width = page_size(word, styles)
    for table in word.tables:
        page_wide(table, width, styles.cell_margin)
        for run in table._tbl.iter(qn("w:r")):  # the text of the cells, footnote marks too
            Run(run, table).font.size = Pt(styles.table_size)
    for picture in word.element.body.iter(qn("pic:cNvPr")):
        picture.set("descr", "")  # Pandoc puts the image's data here; the alt text is on docPr
    if stamp:
        for section in word.sections:
            section.header.is_linked_to_previous = False
            section.header.paragraphs[0].text = stamp
    dated = datetime.datetime.combine(issued(doc), datetime.time())
    word.core_properties.created = word.core_properties.modified = dated
    out = io.BytesIO()
    word.save(out)
    return reproducible(out.getvalue())


def page_size(word: WordDocument, styles: WordStyles) -> int:
    """Every section on the page and with the margins of the house styles (Pandoc's are US
    Letter); the width between the margins, in twentieths of a point."""
    width, height = styles.page
    for section in word.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(styles.margin))
    return int(Mm(width - 2 * styles.margin)) // EMU_PER_TWIP


EMU_PER_TWIP = 635


def page_wide(table: Any, width: int, cell_margin: float) -> None:
    """The table across the text's width, each column as wide as its longest text asks
    (Pandoc leaves narrow columns of equal width), with narrow cell margins."""
    grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
    low, high = COLUMN_WEIGHTS
    high = max(high, WIDE_TEXT // max(len(grid), 1))  # few columns: long texts may be wider
    weights = [low] * len(grid)
    for row in table._tbl.tr_lst:
        j = 0
        for cell in row.tc_lst:
            if cell.grid_span == 1 and j < len(weights):
                longest = len("".join(text.text or "" for text in cell.iter(qn("w:t"))))
                weights[j] = max(weights[j], min(longest, high))
            j += cell.grid_span
    for column, weight in zip(grid, weights, strict=True):
        column.set(qn("w:w"), str(width * weight // sum(weights)))
    properties = table._tbl.tblPr
    table_width = properties.find(qn("w:tblW"))
    table_width.set(qn("w:type"), "pct")
    table_width.set(qn("w:w"), "5000")
    table.autofit = False  # the grid's widths, not Word's guess
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        margin = OxmlElement(side)
        margin.set(qn("w:w"), str(int(Mm(cell_margin)) // EMU_PER_TWIP))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)


ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip file can say: no build time in the file


def reproducible(data: bytes) -> bytes:
    """The .docx with every part dated alike, so the same programme gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            entry = zipfile.ZipInfo(item.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            new.writestr(entry, old.read(item))
    return out.getvalue()


def house_styles(word: WordDocument, styles: WordStyles, primary: str) -> None:
    colour = RGBColor.from_string(primary.lstrip("#").upper())
    for name in ("Normal", "Title", "Subtitle", "Author", "Date", "Compact", "Body Text"):
        if name in [s.name for s in word.styles]:
            word.styles[name].font.name = styles.font
    word.styles["Normal"].font.size = Pt(styles.size)
    for level, size in enumerate(styles.heading_sizes, start=1):
        style = word.styles[f"Heading {level}"]
        style.font.name, style.font.size, style.font.color.rgb = styles.font, Pt(size), colour
    word.styles["Title"].font.color.rgb = colour
