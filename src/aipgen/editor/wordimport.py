"""`aipgen import-word`: a Word file (.docx) becomes a programme folder that builds at once.

Pandoc reads the Word file into its document tree (sandboxed: it reads that file and nothing
else). The title block gives programm.yaml's `titel` and `untertitel`; each Heading 1 starts a
chapter (kapitel/NN-name.md, "Anlage …" an appendix), deeper headings its sections (numbers
dropped: the build numbers them; a heading without one in a numbered document stays
unnumbered). Paragraphs, emphasis, lists, links and footnotes are written as Markdown by
Pandoc. Each table becomes a table file (wordtables.py) placed with `::tabelle NAME`; images go
to bilder/. What has no place in a programme is reported with where it stood. The folder is made
from the skeleton of `aipgen neu` and renamed into place when complete.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pypandoc

from aipgen.base.paths import DesignFiles
from aipgen.editor import yamledit
from aipgen.editor.newprogramme import create_programme, placeholders
from aipgen.editor.statimport import slug
from aipgen.editor.wordtables import (
    CAPTION,
    SOURCE_LINE,
    TableFiles,
    WordTableError,
    plain_text,
    table_files,
)
from aipgen.media.word import Node, Rule, pandoc, walk

MAX_WORD_BYTES = 50 * 1024 * 1024
# "2.1 ", "3.", "IV.", "Anlage 2" before a heading's text
HEADING_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+(?=\S)")
APPENDIX = re.compile(r"^(?:Anlage|Anhang)\s+(?:\d+|[IVX]+|[A-Z])\b[.:]?\s*")
IMAGE_TYPES = {".png", ".jpg", ".jpeg"}
WEB_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
UNNUMBERED = " {.unnummeriert}"  # the Markdown of a heading without a number
TOC_CLASS = "TOC-Heading"  # Pandoc's class for the heading of Word's table of contents
# inline elements Markdown has no form for: their text stays, the form goes
UNWRAPPED = ("Underline", "SmallCaps", "Superscript", "Subscript", "Span")
UNWRAPPED_BLOCKS = ("Div",)
MARKDOWN = "commonmark_x"
WRITER = f"{MARKDOWN}-smart"  # dashes and quotes as they are, not as -- and "


class WordImportError(Exception):
    """The Word file cannot be imported; the message is German."""


@dataclass(frozen=True)
class Unmapped:
    """Something of the Word file that has no place in the programme, and where it stood."""

    what: str
    where: str


@dataclass
class WordReport:
    folder: Path
    chapters: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{self.folder.name}: angelegt in {self.folder}/",
            f"  {len(self.chapters)} Kapitel, {len(self.tables)} Tabellen, "
            f"{len(self.images)} Bilder",
        ]
        if self.unmapped:
            out.append(f"Nicht übernommen ({len(self.unmapped)}):")
            out += [f"  - {item.where}: {item.what}" for item in self.unmapped]
        return out


@dataclass
class Conversion:
    """What one import collects: the programme's new files, the report, and where it is."""

    archive: zipfile.ZipFile
    source: str  # the Word file's name, for the table files' comment
    numbered: bool  # the document numbers its headings
    files: dict[str, bytes] = field(default_factory=dict)  # path in the folder → content
    report: WordReport = field(default_factory=lambda: WordReport(Path()))
    chapter: str = ""
    section: str = ""

    @property
    def where(self) -> str:
        if not self.chapter:
            return "Vor der ersten Überschrift"
        return f"Kapitel „{self.chapter}“" + (
            f", Abschnitt „{self.section}“" if self.section else ""
        )

    def unmapped(self, what: str) -> None:
        self.report.unmapped.append(Unmapped(what, self.where))


@dataclass
class Chapter:
    title: str
    appendix: bool
    blocks: list[Node]


def import_word(
    source: Path,
    data_dir: Path,
    name: str,
    design: DesignFiles,
    jobcenter: str | None = None,
    year: int | None = None,
) -> WordReport:
    """data_dir/name from the Word file `source` and the design's skeleton; what it made and
    what it could not map."""
    tree = read_word(source)
    chapters, before = split_chapters(tree["blocks"])
    if not chapters:
        raise WordImportError(
            f"„{source.name}“ hat keine Überschrift 1 (Formatvorlage „Überschrift 1“); jede "
            "wird ein Kapitel. Bitte die Kapitelüberschriften so formatieren."
        )
    with zipfile.ZipFile(source) as archive:
        conv = Conversion(archive, source.name, numbered(tree["blocks"]))
        for block in before:
            if plain_text(block).strip():
                conv.unmapped(f"Text „{shortened(plain_text(block))}“")
        refs = [chapter_file(conv, i, chapter) for i, chapter in enumerate(chapters, start=1)]
    meta = tree["meta"]
    titles = {key: plain_text(meta[key]) for key in ("title", "subtitle") if key in meta}
    values = placeholders(name, jobcenter, year)
    folder = create_programme(
        data_dir, name, values, design, then=lambda folder: fill(folder, conv, refs, titles)
    )
    conv.report.folder = folder
    return conv.report


def read_word(source: Path) -> Node:
    """Pandoc's document tree of the Word file."""
    if source.suffix.lower() != ".docx":
        raise WordImportError(
            f"„{source.name}“ ist keine Word-Datei im Format .docx; bitte in Word als "
            "„Word-Dokument (*.docx)“ speichern."
        )
    if source.stat().st_size > MAX_WORD_BYTES:
        raise WordImportError(f"„{source.name}“ ist größer als 50 MB.")
    done = pandoc("-f", "docx", "-t", "json", str(source))
    if done.returncode or not zipfile.is_zipfile(source):
        raise WordImportError(
            f"„{source.name}“ lässt sich nicht als Word-Datei lesen (beschädigt oder kein "
            ".docx); bitte in Word öffnen und neu speichern."
        )
    tree: Node = json.loads(done.stdout)
    return tree


def split_chapters(blocks: list[Node]) -> tuple[list[Chapter], list[Node]]:
    """The chapters (each from a Heading 1 to the next) and what stands before the first."""
    chapters: list[Chapter] = []
    before: list[Node] = []
    for block in blocks:
        if block["t"] == "Header" and (TOC_CLASS in block["c"][1][1] or not heading_text(block)):
            continue  # Word's table of contents (the build makes its own), an empty heading
        if block["t"] == "Header" and block["c"][0] == 1:
            title = heading_text(block)
            appendix = APPENDIX.match(title)
            own = title[appendix.end() :] if appendix else title
            chapters.append(Chapter(own or title, bool(appendix), []))
        elif chapters:
            chapters[-1].blocks.append(block)
        else:
            before.append(block)
    return chapters, before


def numbered(blocks: list[Node]) -> bool:
    """Whether most headings of the document begin with a number."""
    headings = [heading_text(b, strip=False) for b in blocks if b["t"] == "Header"]
    with_number = [h for h in headings if HEADING_NUMBER.match(h) or APPENDIX.match(h)]
    return bool(headings) and 2 * len(with_number) >= len(headings)


def heading_text(block: Node, strip: bool = True) -> str:
    text = " ".join(plain_text(block["c"][2]).split())
    return HEADING_NUMBER.sub("", text) if strip else text


def shortened(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def chapter_file(conv: Conversion, index: int, chapter: Chapter) -> dict[str, Any]:
    """The chapter as Markdown in conv.files; its entry for programm.yaml's `kapitel`."""
    conv.chapter, conv.section = chapter.title, ""
    blocks = chapter_blocks(conv, chapter.blocks)
    body = markdown(blocks).strip()
    rel = f"kapitel/{index:02d}-{name_of(chapter.title, 'kapitel')}.md"
    head = f"# {markdown_line(chapter.title)}\n"
    text = f"{head}\n{body}\n" if body else head
    conv.files[rel] = text.encode("utf-8")
    conv.report.chapters.append(rel)
    return {"datei": rel, "anhang": True} if chapter.appendix else {"datei": rel}


def chapter_blocks(conv: Conversion, blocks: list[Node]) -> list[Node]:
    """The chapter's blocks as Markdown shall have them: headings plain, tables as
    directives, images in bilder/, nothing Markdown cannot say."""
    out: list[Node] = []
    rules = inline_rules(conv)
    skip = set()
    for i, block in enumerate(blocks):
        if i in skip:
            continue
        if block["t"] == "Header":
            conv.section = heading_text(block)
            out.append(heading(conv, block))
        elif block["t"] == "Table":
            before = out[-1] if out and CAPTION.match(plain_text(out[-1])) else None
            after = blocks[i + 1] if i + 1 < len(blocks) else None
            source = after if after is not None and SOURCE_LINE.match(plain_text(after)) else None
            if before is not None:
                out.pop()
            if source is not None:
                skip.add(i + 1)
            out.append(table_directive(conv, block, before, source))
        else:
            out.extend(walk([block], rules))
    return out


def heading(conv: Conversion, block: Node) -> Node:
    """A section heading: its text without number, one level below the chapter's; without a
    number in a numbered document, unnumbered."""
    level = min(block["c"][0], 6)
    text = heading_text(block)
    line = "#" * level + " " + markdown_line(text)
    if conv.numbered and not HEADING_NUMBER.match(heading_text(block, strip=False)):
        line += UNNUMBERED
    return raw_block(line)


def table_directive(
    conv: Conversion, table: Node, caption: Node | None, source: Node | None
) -> Node:
    """The table as a table file in conv.files, placed where it stood."""
    taken = {PurePosixPath(rel).stem for rel in conv.files if rel.startswith("tabellen/")}
    try:
        made: TableFiles = table_files(
            table,
            plain_text(caption) if caption else "",
            plain_text(source) if source else "",
            conv.source,
            taken,
        )
    except WordTableError as exc:
        conv.unmapped(str(exc))
        return raw_block("")
    conv.files.update(made.files)
    conv.report.tables.append(made.name)
    for note in made.notes:
        conv.unmapped(note)
    return raw_block(f"::tabelle {made.name}")


def inline_rules(conv: Conversion) -> dict[str, Rule]:
    """What becomes of the elements inside a chapter's paragraphs and lists."""

    def unmapped(what: Callable[[Node], str]) -> Rule:
        def rule(node: Node) -> list[Node]:
            conv.unmapped(what(node))
            return []

        return rule

    rules: dict[str, Rule] = {kind: unwrapped for kind in (*UNWRAPPED, *UNWRAPPED_BLOCKS)}
    rules.update(
        {
            "Image": lambda node: image(conv, node),
            "Link": lambda node: link(conv, node),
            "Figure": figure,
            "Str": lambda node: {"t": "Str", "c": node["c"].replace("\u00ad", "")},
            "RawBlock": unmapped(lambda n: f"Eingebettetes {n['c'][0]}"),
            "RawInline": unmapped(lambda n: f"Eingebettetes {n['c'][0]}"),
            "Math": unmapped(lambda n: f"Formel „{shortened(n['c'][1])}“"),
            "Table": unmapped(lambda n: "Tabelle in einer Liste oder Tabelle"),
            "Header": lambda node: {"t": "Para", "c": [{"t": "Strong", "c": node["c"][2]}]},
            "BulletList": tight,
            "OrderedList": tight,
        }
    )
    return rules


def tight(node: Node) -> Node:
    """A list whose items are one paragraph each, written without blank lines between them
    (Word gives each item a paragraph of its own)."""
    ordered = node["t"] == "OrderedList"  # [attributes, items]; a bullet list: items
    items = node["c"][1] if ordered else node["c"]
    if all(len(item) == 1 and item[0]["t"] in ("Para", "Plain") for item in items):
        items = [[{"t": "Plain", "c": item[0]["c"]}] for item in items]
    return {"t": node["t"], "c": [node["c"][0], items] if ordered else items}


def unwrapped(node: Node) -> list[Node]:
    """An element Markdown has no form for, as its content."""
    content = node["c"][-1]
    return list(content) if isinstance(content, list) else []


def figure(node: Node) -> list[Node]:
    """A figure as its image and its caption as a paragraph below it."""
    _, (_, caption), content = node["c"]
    return [*content, *caption]


def image(conv: Conversion, node: Node) -> Node | list[Node]:
    """An image of the Word file in bilder/, linked from the text with its alt text."""
    attr, alt, (target, title) = node["c"]
    path = PurePosixPath(target)
    if path.suffix.lower() not in IMAGE_TYPES:
        conv.unmapped(f"Bild im Format {path.suffix.lstrip('.').upper() or 'unbekannt'}")
        return []
    try:
        data = conv.archive.read(f"word/{path}")
    except KeyError:
        conv.unmapped(f"Bild „{path.name}“ (verknüpft, nicht eingebettet)")
        return []
    rel = f"bilder/bild-{len(conv.report.images) + 1}{path.suffix.lower()}"
    conv.files[rel] = data
    conv.report.images.append(rel)
    if not plain_text(alt).strip():
        conv.unmapped(f"Alternativtext zu {rel} fehlt (bitte ergänzen)")
        alt = [{"t": "Str", "c": "Bild"}]
    return {"t": "Image", "c": [["", [], []], alt, [rel, title]]}


def link(conv: Conversion, node: Node) -> Node | list[Node]:
    """A link to the web or a mail address stays; one inside the document becomes its text."""
    _, text, (target, title) = node["c"]
    if WEB_LINK.match(target):
        return {"t": "Link", "c": [["", [], []], text, [target, title]]}
    if not target.startswith("#"):
        conv.unmapped(f"Verweis auf „{shortened(target, 3)}“ (als Text übernommen)")
    return list(text)


def raw_block(text: str) -> Node:
    return {"t": "RawBlock", "c": [MARKDOWN, text]}


def markdown(blocks: list[Node]) -> str:
    """Blocks as Markdown (footnotes as [^1] with their text at the end)."""
    tree = {"pandoc-api-version": PANDOC_API, "meta": {}, "blocks": blocks}
    text: str = pypandoc.convert_text(
        json.dumps(tree), WRITER, format="json", extra_args=["--wrap=none"], sandbox=True
    )
    return text


PANDOC_API = [1, 23, 1, 1]


def markdown_line(text: str) -> str:
    """A heading's text as one line of Markdown."""
    return markdown([{"t": "Plain", "c": [{"t": "Str", "c": text}]}]).strip()


def name_of(title: str, fallback: str) -> str:
    """A file name from a title: its first words, lower case, with hyphens."""
    words = slug(title).split("_")[:4]
    return "-".join(w for w in words if w) or fallback


def fill(
    folder: Path, conv: Conversion, refs: list[dict[str, Any]], titles: dict[str, str]
) -> None:
    """The skeleton's chapters, tables and charts replaced by the imported ones."""
    for sub in ("kapitel", "tabellen", "diagramme"):
        for old in (folder / sub).glob("*"):
            old.unlink()
    for rel, data in conv.files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    file = folder / "programm.yaml"
    data = yamledit.load(file.read_text(encoding="utf-8"))
    if titles.get("title"):
        data["titel"] = titles["title"]
    data["untertitel"] = titles.get("subtitle", "")
    data["kapitel"] = refs
    if not conv.numbered:
        data.insert(list(data).index("layout") + 1, "kapitelnummern", False)
    file.write_text(yamledit.dump(data), encoding="utf-8")
