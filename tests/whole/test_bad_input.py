"""Bad input, table-driven: each case breaks a copy of the mini programme in one way.

`aipgen check` must answer with exactly the expected German messages (file:line), exit code 1
and no traceback; a few cases also run `aipgen build` over a previous good build and check that
the old output stays byte-identical. Hostile but harmless input (markup, script links) builds
and comes out escaped.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner
from PIL import Image

from aipgen.base.limits import MAX_FILE_BYTES, MAX_MARKDOWN_DEPTH, MAX_WORD_MARKS
from aipgen.build.write import write_tree
from aipgen.cli.main import main

from ..helpers import edit

# ---------------------------------------------------------------- steps that break a programme


@dataclass(frozen=True)
class Replace:
    file: str
    old: str
    new: str

    def apply(self, root: Path) -> None:
        edit(root / self.file, self.old, self.new)


@dataclass(frozen=True)
class Write:
    file: str
    text: str

    def apply(self, root: Path) -> None:
        (root / self.file).write_text(self.text, encoding="utf-8")


@dataclass(frozen=True)
class WriteBytes:
    file: str
    data: bytes

    def apply(self, root: Path) -> None:
        (root / self.file).write_bytes(self.data)


@dataclass(frozen=True)
class Latin1:
    """Re-encode a file as Latin-1 (the way old spreadsheet exports arrive)."""

    file: str

    def apply(self, root: Path) -> None:
        path = root / self.file
        path.write_bytes(path.read_text("utf-8").replace("\u2212", "-").encode("latin-1"))


@dataclass(frozen=True)
class Remove:
    file: str

    def apply(self, root: Path) -> None:
        (root / self.file).unlink()


@dataclass(frozen=True)
class Link:
    """Replace a file by a symbolic link to a target outside the programme folder (by default
    a file made for it)."""

    file: str
    target: str = ""

    def apply(self, root: Path) -> None:
        outside = Path(self.target) if self.target else root.parent.parent / "outside.txt"
        if not self.target:
            outside.write_text("geheim\n", encoding="utf-8")
        path = root / self.file
        path.unlink(missing_ok=True)
        path.symlink_to(outside)


@dataclass(frozen=True)
class Fifo:
    """Replace a file by a named pipe: opening it for reading would wait for ever."""

    file: str

    def apply(self, root: Path) -> None:
        path = root / self.file
        path.unlink(missing_ok=True)
        os.mkfifo(path)


@dataclass(frozen=True)
class Folder:
    """Replace a file by an empty folder of the same name."""

    file: str

    def apply(self, root: Path) -> None:
        path = root / self.file
        path.unlink(missing_ok=True)
        path.mkdir()


@dataclass(frozen=True)
class Oversize:
    """Grow a file just past the size limit."""

    file: str

    def apply(self, root: Path) -> None:
        with (root / self.file).open("a", encoding="utf-8") as handle:
            handle.write("\n" + "x" * MAX_FILE_BYTES + "\n")


@dataclass(frozen=True)
class Picture:
    """Save a PNG of the given size (mode "1": cheap to write, header says the size)."""

    file: str
    width: int
    height: int

    def apply(self, root: Path) -> None:
        Image.new("1", (self.width, self.height)).save(root / self.file)


Step = Replace | Write | WriteBytes | Latin1 | Remove | Link | Fifo | Folder | Oversize | Picture


@dataclass(frozen=True)
class Case:
    id: str
    steps: tuple[Step, ...]
    expected: tuple[str, ...]


P = "programm.yaml"
K1 = "kapitel/01-vorwort.md"
K2 = "kapitel/02-arbeitsmarkt.md"
TB = "tabellen/budget.yaml"
TE = "tabellen/eckwerte.yaml"
TS = "tabellen/svb.yaml"
CSV = "tabellen/svb.csv"
CH = "diagramme/budget.yaml"
KZ = "kennzahlen/bevoelkerung.yaml"
SVB = "Sozialversicherungspflichtig Beschäftigte"
BOMB = 'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]\n' + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdef", "bcdefg", strict=True)
)
# A list of 11.111 entries (anchor d), written out eight times passes the limit of 100.000.
ANCHORS = (
    "# Verweise\n"
    + 'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
    + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abc", "bcd", strict=True)
    )
)
ROOT_BOMB = ANCHORS + "".join(f"k{i}: *d\n" for i in range(10))  # k7 on line 13
LIST_BOMB = ANCHORS + "f:\n" + "".join("  - *d\n" for _ in range(10))  # 8th item on line 14
DEEP_ALIAS = "t: &t " + "[" * 30 + "]" * 30 + "\n# tief\nu:\n  " + "- " * 22 + "*t\n"
INLINE_CHART = "typ: saeulen\ntitel: Zahlen\nkategorien: [a, b]\nreihen:\n  - name: x\n"
NOT_FINITE = "ist keine endliche Zahl (unendlich oder keine Zahl)."
NO_DATE = "ist kein gültiges Datum (den Tag gibt es nicht; Form JJJJ-MM-TT)."
OUTSIDE_LINK = "Die Datei verweist auf eine Datei außerhalb des Programmordners."
OUTSIDE = "liegt außerhalb des Programmordners"
NOT_REGULAR = "ist keine gewöhnliche Datei (sondern z. B. ein Ordner, ein Gerät oder eine Pipe)"
TOO_BIG = "Die Datei ist größer als 5 MB (Grenze für YAML-, Markdown- und CSV-Dateien)."


def too_big(file: str) -> str:
    """The size refusal of a file, reported where another file names it."""
    return TOO_BIG.replace("Datei", f"Datei „{file}“", 1)


NOT_A_NUMBER = (
    "ist keine Zahl (Spalte „Sep 2022“; erlaubt sind Zahlen, auch deutsch geschrieben wie "
    '"1.234,5", und "x", "-", ".", "*" und "").'
)
NUMBER_TEXT = "muss eine Zahl sein, ohne Anführungszeichen (z. B. 1234 oder 12.5)."
FORBIDDEN = "enthält Unerlaubtes (erlaubt: Spalten, Zahlen, + - * / ( ), anteil)."
SEPARATOR = "(Felder werden mit ; getrennt)."
NO_IMAGE = "gibt es nicht im Programmordner (Bilder liegen z. B. in bilder/)."
XXE = '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>'
LAUGHS = (
    '<!DOCTYPE svg [<!ENTITY a "lol">'
    + "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "]><svg>&i;</svg>"
)
NESTED = (
    f"Listen, Zitate, Blöcke, Hervorhebungen und Links sind hier tiefer als {MAX_MARKDOWN_DEPTH} "
    "Ebenen ineinander verschachtelt (Grenze)."
)
TOO_DEEP_LIST = "".join(f"{'  ' * i}- Punkt\n" for i in range(MAX_MARKDOWN_DEPTH + 1))
CROWDED = (
    f"Ein Wort (Text ohne Leerzeichen) enthält hier mehr als {MAX_WORD_MARKS} Hervorhebungen, "
    "Links, Code-Stellen, Bilder oder Fußnoten (Grenze)."
)
ENTITY = (
    "enthält eine Entity-Deklaration (<!ENTITY …>); das ist in SVG-Bildern nicht erlaubt. "
    "Bitte das Bild ohne DTD neu exportieren."
)

CASES = [
    # --- numbers must be finite (YAML and CSV, everywhere they occur)
    Case(
        "keyfigure-inf",
        (Replace(KZ, "wert: 161522", "wert: .inf"),),
        (f"mini/{KZ}:3: „.inf“ {NOT_FINITE}",),
    ),
    Case(
        "keyfigure-minus-inf",
        (Replace(KZ, "wert: 64.4", "wert: -.Inf"),),
        (f"mini/{KZ}:5: „-.Inf“ {NOT_FINITE}",),
    ),
    Case(
        "table-cell-nan",
        (Replace(TB, "[FbW, 484, 2923965]", "[FbW, .nan, 2923965]"),),
        (f"mini/{TB}:7: „.nan“ {NOT_FINITE}",),
    ),
    Case(
        "tolerance-nan",
        (Replace(TB, "budget: 50000", "budget: .NaN"),),
        (f"mini/{TB}:13: „.NaN“ {NOT_FINITE}",),
    ),
    Case(
        "chart-value-inf",
        (Write(CH, INLINE_CHART + "    werte: [1, .inf]\n"),),
        (f"mini/{CH}:6: „.inf“ {NOT_FINITE}",),
    ),
    Case(
        "corridor-inf",
        (Replace(TE, "basis: pct}", "basis: pct, korridor: .inf}"),),
        (f"mini/{TE}:18: „.inf“ {NOT_FINITE}",),
    ),
    Case(
        "float-overflow",
        (Replace(TB, "[FbW, 484, 2923965]", "[FbW, 484, 1.0e+400]"),),
        (f"mini/{TB}:7: „1.0e+400“ {NOT_FINITE}",),
    ),
    Case(
        "int-overflow",
        (Replace(TB, "[FbW, 484, 2923965]", "[FbW, 484, 1" + "0" * 400 + "]"),),
        (f"mini/{TB}:7: „1{'0' * 28}…“ ist keine brauchbare Zahl (zu groß).",),
    ),
    Case(
        "csv-inf",
        (Replace(CSV, "25.693", "inf"),),
        (f"mini/{CSV}:4: „inf“ {NOT_A_NUMBER}",),
    ),
    Case(
        "csv-nan",
        (Replace(CSV, "25.693", "NaN"),),
        (f"mini/{CSV}:4: „NaN“ {NOT_A_NUMBER}",),
    ),
    Case(
        "csv-number-too-large",
        (Replace(CSV, "25.693", "9" * 400),),
        (f"mini/{CSV}:4: Spalte „sep22“: „{'9' * 29}…“ ist keine brauchbare Zahl (zu groß).",),
    ),
    Case(
        "formula-overflow",
        (Replace(TE, "formel: okt - sep", "formel: okt * 1e300 * 1e300"),),
        tuple(
            f"mini/{TE}:{line}: Tabelle „Eckwerte“: Die Formel „okt * 1e300 * 1e300“ ergibt "
            "eine zu große Zahl."
            for line in (21, 24, 26, 28)
        ),
    ),
    # --- dates must exist
    Case(
        "date-feb-30",
        (Replace(P, "2023-12-01", "2023-02-30"),),
        (f"mini/{P}:8: „2023-02-30“ {NO_DATE}",),
    ),
    Case(
        "date-month-13",
        (Replace(P, "2023-12-01", "2023-13-01"),),
        (f"mini/{P}:8: „2023-13-01“ {NO_DATE}",),
    ),
    Case(
        "date-german-text",
        (Replace(P, "2023-12-01", '"01.12.2023"'),),
        (f"mini/{P}:8: „stand“ muss ein Datum sein (JJJJ-MM-TT).",),
    ),
    # --- limits
    Case(
        "yaml-alias-bomb",
        (Write(KZ, BOMB),),
        (
            f"mini/{KZ}:5: Mit allen Verweisen (*) ausgeschrieben hätte die Datei mehr als "
            "100.000 Einträge (Grenze).",
        ),
    ),
    Case(
        "yaml-alias-loop",
        (Write(KZ, "titel: &t [*t]\n"),),
        (f"mini/{KZ}:1: Ein Verweis (*) zeigt auf den Eintrag, in dem er selbst steht.",),
    ),
    Case(
        "yaml-alias-bomb-at-root",
        (Write(KZ, ROOT_BOMB),),
        (
            f"mini/{KZ}:13: Mit allen Verweisen (*) ausgeschrieben hätte die Datei mehr als "
            "100.000 Einträge (Grenze).",
        ),
    ),
    Case(
        "yaml-alias-bomb-in-list",
        (Write(KZ, LIST_BOMB),),
        (
            f"mini/{KZ}:14: Mit allen Verweisen (*) ausgeschrieben hätte die Datei mehr als "
            "100.000 Einträge (Grenze).",
        ),
    ),
    Case(
        "yaml-alias-too-deep",
        (Write(KZ, DEEP_ALIAS),),
        (f"mini/{KZ}:4: Die Einträge sind tiefer als 50 Ebenen verschachtelt (Grenze).",),
    ),
    Case(
        "yaml-alias-loop-in-block",
        (Write(KZ, "titel: x\nwerte: &w\n  - wert: 1\n    text: a\n  - *w\n"),),
        (f"mini/{KZ}:5: Ein Verweis (*) zeigt auf den Eintrag, in dem er selbst steht.",),
    ),
    Case(
        "yaml-too-deep",
        (Write(KZ, "titel: " + "[" * 60 + "]" * 60 + "\n"),),
        (f"mini/{KZ}:1: Die Einträge sind tiefer als 50 Ebenen verschachtelt (Grenze).",),
    ),
    Case(
        "yaml-nesting-beyond-parser",
        (Write(KZ, "titel: " + "[" * 1100 + "]" * 1100 + "\n"),),
        (f"mini/{KZ}:1: Ungültiges YAML: zu tief verschachtelt (höchstens 50 Ebenen).",),
    ),
    Case("yaml-too-big", (Oversize(TB),), (f"mini/{TB}:1: {TOO_BIG}",)),
    Case("programme-too-big", (Oversize(P),), (f"mini/{P}:1: {TOO_BIG}",)),
    Case("markdown-too-big", (Oversize(K1),), (f"mini/{P}:17: {too_big(K1)}",)),
    Case(
        "markdown-too-big-programme-unparsable",
        (Replace(P, "jahr: 2024", "jahr: 2024: x"), Oversize(K1)),
        (
            f"mini/{P}:2: Ungültiges YAML: Doppelpunkt an unerwarteter Stelle (Text mit "
            "Doppelpunkt in Anführungszeichen setzen).",
            f"mini/{P}:17: {too_big(K1)}",
        ),
    ),
    Case("csv-too-big", (Oversize(CSV),), (f"mini/{TS}:3: {too_big(CSV)}",)),
    Case(
        "image-too-many-pixels",
        (
            Picture("bilder/foto.png", 10_000, 5_001),
            Replace(K1, "Sehr", "![Foto](bilder/foto.png)\n\nSehr"),
        ),
        (
            f"mini/{K1}:3: Das Bild „bilder/foto.png“ hat mehr als 50.000.000 Pixel (Grenze); "
            "bitte verkleinern.",
        ),
    ),
    Case(
        "image-not-an-image",
        (
            WriteBytes("bilder/foto.jpg", b"kein Bild"),
            Replace(K1, "Sehr", "![Foto](bilder/foto.jpg)\n\nSehr"),
        ),
        (
            f"mini/{K1}:3: Das Bild „bilder/foto.jpg“ ist keine lesbare Bilddatei "
            "(PNG, JPEG oder SVG).",
        ),
    ),
    Case(
        "logo-too-many-pixels",
        (Picture("bilder/logo.png", 8_000, 7_000), Replace(P, "logo.svg", "logo.png")),
        (
            f"mini/{P}:6: Das Bild „bilder/logo.png“ hat mehr als 50.000.000 Pixel (Grenze); "
            "bitte verkleinern.",
        ),
    ),
    # --- broken content that used to pass silently
    Case(
        "csv-field-too-many",
        (Replace(CSV, "24.025;23.739;1,2", "24.025;23.739;1,2;7"),),
        (f"mini/{CSV}:5: Die Zeile hat 6 Felder, die Kopfzeile aber 5 {SEPARATOR}",),
    ),
    Case(
        "csv-field-too-few",
        (Replace(CSV, "24.025;23.739;1,2", "24.025;1,2"),),
        (f"mini/{CSV}:5: Die Zeile hat 4 Felder, die Kopfzeile aber 5 {SEPARATOR}",),
    ),
    Case(
        "csv-repeated-column",
        (Replace(CSV, "sep22;sep21", "sep22;sep22"),),
        (f"mini/{CSV}:1: Die Spalte „sep22“ steht zweimal in der Kopfzeile.",),
    ),
    Case(
        "csv-repeated-row-id",
        (
            Write(
                CSV,
                "id;merkmal;sep22;sep21;pct\na;Insgesamt;2;1;100\nb;Männer;2;1;100\n"
                "a;Frauen;2;1;100\n",
            ),
        ),
        (f"mini/{CSV}:4: Die Zeilen-id „a“ gibt es schon in Zeile 2.",),
    ),
    Case(
        "repeated-column-id",
        (Replace(TB, "{id: plaetze", "{id: budget"),),
        (f"mini/{TB}:5: Die Spalten-id „budget“ gibt es schon in Zeile 4.",),
    ),
    Case(
        "repeated-row-id",
        (Replace(TB, "id: egz", "id: fbw"),),
        (f"mini/{TB}:10: Die Zeilen-id „fbw“ gibt es schon in Zeile 8.",),
    ),
    Case(
        "negative-tolerance",
        (Replace(TB, "budget: 50000", "budget: -5"),),
        (f"mini/{TB}:13: „budget“ muss mindestens 0 sein.",),
    ),
    Case(
        "share-without-reference-row",
        (Replace(TE, "    bezug: true\n", ""),),
        (
            f"mini/{TE}:23: Tabelle „Eckwerte“, Spalte „Anteil“: Die Formel „anteil(okt)“ "
            "braucht eine Bezugszeile (bezug: true) in der Tabelle.",
        ),
    ),
    Case(
        "wrong-total-above-its-rows",
        (
            Replace(
                TB, "zeilen:\n", "zeilen:\n  - gesamt: Insgesamt\n    werte: [null, 632, null]\n"
            ),
        ),
        (
            f"mini/{TB}:8: Tabelle „Übersicht Budgetplanung“, Spalte „Plätze“: angegeben 632, "
            "berechnet 631.",
        ),
    ),
    Case(
        "footnote-defined-twice",
        (Replace(K2, "[^ew]: Stand 04/2022.", "[^ew]: Stand 04/2022.\n[^ew]: Stand 05/2022."),),
        (f"mini/{K2}:26: Die Fußnote „[^ew]“ ist schon in Zeile 25 festgelegt.",),
    ),
    Case(
        "footnote-undefined",
        (Replace(K2, "[^ew]: Stand 04/2022.", ""),),
        (
            f"mini/{K2}:5: Die Fußnote „[^ew]“ wird verwendet, aber nirgends festgelegt "
            "(es fehlt eine Zeile „[^ew]: Text“).",
        ),
    ),
    # --- nesting: refused where it goes too deep (markdown-it would drop the rest of a chapter
    # nested past 20 token levels; WeasyPrint recurses over nested boxes)
    Case(
        "lists-nested-too-deep",
        (Replace(K1, "Sehr", f"{TOO_DEEP_LIST}\nSehr"),),
        (f"mini/{K1}:{3 + MAX_MARKDOWN_DEPTH}: {NESTED}",),
    ),
    Case(
        "quotes-nested-too-deep",
        (Replace(K1, "Sehr", "> " * 30 + "Zitat\n\nSehr"),),
        (f"mini/{K1}:3: {NESTED}",),
    ),
    Case(
        "emphasis-nested-20000-deep",
        (
            Replace(K1, "Sehr", "Vorab\n" + "*" * 20_000 + "Sehr"),
            Replace(K1, "</b>.", "</b>." + "*" * 20_000),
        ),
        (f"mini/{K1}:4: {CROWDED}", f"mini/{K1}:4: {NESTED}"),  # 10,000 marks before "Sehr"
    ),
    # --- marks in one word: WeasyPrint's search for a line break is quadratic in them
    Case(
        "brackets-and-emphasis-40000-in-one-word",
        (Replace(K1, "Sehr", "[*" * 20_000 + "\n\nSehr"),),
        (f"mini/{K1}:3: {CROWDED}",),
    ),
    Case(
        "links-in-one-word",
        (Replace(K1, "Sehr", "Vorab\n" + "[Link](#kap-2)/" * (MAX_WORD_MARKS + 1) + " Sehr"),),
        (f"mini/{K1}:4: {CROWDED}",),
    ),
    Case(
        "keyfigure-number-as-text",
        (Replace(KZ, "wert: 161522", 'wert: "161.522"'),),
        (f"mini/{KZ}:3: „wert“ {NUMBER_TEXT}",),
    ),
    Case(
        "chart-value-as-text",
        (Write(CH, INLINE_CHART + '    werte: [1, "2"]\n'),),
        (f"mini/{CH}:6: „werte“ {NUMBER_TEXT}",),
    ),
    Case(
        "table-placed-twice",
        (Replace(K2, "::tabelle svb\n", "::tabelle svb\n\n::tabelle svb\n"),),
        (
            f"mini/{K2}:15: „tabelle svb“ steht schon in mini/{K2}:13; "
            "es kann nur einmal vorkommen.",
        ),
    ),
    Case(
        "chart-placed-twice",
        (Replace(K1, "Sehr", "::diagramm budget\n\nSehr"),),
        (
            f"mini/{K2}:19: „diagramm budget“ steht schon in mini/{K1}:3; "
            "es kann nur einmal vorkommen.",
        ),
    ),
    Case(
        "chapter-listed-twice",
        (
            Replace(
                P,
                "  - datei: kapitel/02-arbeitsmarkt.md",
                "  - datei: kapitel/02-arbeitsmarkt.md\n  - datei: kapitel/02-arbeitsmarkt.md",
            ),
        ),
        (f"mini/{P}:23: Das Kapitel „kapitel/02-arbeitsmarkt.md“ steht schon in Zeile 22.",),
    ),
    # --- every file's problems in one run, no follow-on errors
    Case(
        "programme-broken-others-still-checked",
        (
            Replace(P, "jahr: 2024", "jahr: 2024: x"),
            Replace(TB, "titel:", "titl:"),
            Replace(CSV, "24.025;23.739;1,2", "24.025;23.739"),
        ),
        (
            f"mini/{P}:2: Ungültiges YAML: Doppelpunkt an unerwarteter Stelle (Text mit "
            "Doppelpunkt in Anführungszeichen setzen).",
            f"mini/{TB}:1: Die Angabe „titel“ fehlt. Pflicht sind hier: titel, spalten.",
            f"mini/{TB}:1: Unbekannter Schlüssel „titl“. Meinten Sie „titel“?",
            f"mini/{CSV}:5: Die Zeile hat 4 Felder, die Kopfzeile aber 5 {SEPARATOR}",
        ),
    ),
    Case(
        "programme-invalid-chapters-still-checked",
        (Replace(P, "jahr: 2024", "jahr: zwanzig"), Replace(K2, "::tabelle svb", "::tabele svb")),
        (
            f"mini/{K2}:13: Unbekannte Anweisung „::tabele“ (möglich sind ::tabelle, ::diagramm, "
            "::kennzahlen mit einem Namen).",
            f"mini/{P}:2: „jahr“ muss eine ganze Zahl sein.",
        ),
    ),
    Case(
        "programme-chapter-and-table-all-reported",
        (
            Replace(P, "jahr: 2024", "jahr: zwanzig"),
            Replace(K2, "::tabelle svb", "::tabele svb"),
            Replace(TB, "4000000]", "4100000]"),
        ),
        (
            f"mini/{K2}:13: Unbekannte Anweisung „::tabele“ (möglich sind ::tabelle, ::diagramm, "
            "::kennzahlen mit einem Namen).",
            f"mini/{P}:2: „jahr“ muss eine ganze Zahl sein.",
            f"mini/{TB}:12: Tabelle „Übersicht Budgetplanung“, Spalte „Budget“: angegeben "
            "4.100.000\u202f€, berechnet 3.971.985\u202f€.",
        ),
    ),
    Case(
        "programme-unparsable-chapter-and-table-all-reported",
        (
            Replace(P, "jahr: 2024", "jahr: 2024: x"),
            Replace(K1, "# Vorwort\n", "Vorwort\n"),
            Replace(TE, "6893, 6887, 6, 0.1", "6893, 6887, 7, 0.1"),
        ),
        (
            f"mini/{K1}:1: Das Kapitel muss mit einer Überschrift „# Titel“ beginnen.",
            f"mini/{P}:2: Ungültiges YAML: Doppelpunkt an unerwarteter Stelle (Text mit "
            "Doppelpunkt in Anführungszeichen setzen).",
            f"mini/{TE}:21: Tabelle „Eckwerte“, Spalte „absolut“: angegeben +7, berechnet +6.",
        ),
    ),
    Case(
        "programme-unparsable-reference-checked",
        (
            Replace(P, "kapitel:", "kapitel: ["),
            Replace(K1, "Sehr", "Siehe [](#tabelle:budgett).\n\nSehr"),
        ),
        (
            f"mini/{K1}:3: Der Verweis „#tabelle:budgett“ zeigt ins Leere: Keine Tabelle "
            "„budgett“ steht mit „::tabelle budgett“ im Text.",
            f"mini/{P}:17: Ungültiges YAML: Einrückung, Doppelpunkte und Anführungszeichen prüfen.",
        ),
    ),
    Case(
        "broken-table-no-follow-on",
        (Replace(TE, "titel: Eckwerte", "titel: [Eckwerte"),),
        (f"mini/{TE}:2: Ungültiges YAML: Einrückung, Doppelpunkte und Anführungszeichen prüfen.",),
    ),
    Case(
        "broken-chart-no-follow-on",
        (Replace(CH, "typ: balken", "typ: balken: x"),),
        (
            f"mini/{CH}:1: Ungültiges YAML: Doppelpunkt an unerwarteter Stelle (Text mit "
            "Doppelpunkt in Anführungszeichen setzen).",
        ),
    ),
    Case(
        "broken-keyfigures-no-follow-on",
        (Replace(KZ, "wert: 161522", "wert: 2023-02-30"),),
        (f"mini/{KZ}:3: „2023-02-30“ {NO_DATE}",),
    ),
    Case(
        "csv-missing",
        (Replace(TS, "daten: svb.csv", "daten: fehlt.csv"),),
        (f"mini/{TS}:3: Die CSV-Datei „tabellen/fehlt.csv“ gibt es nicht.",),
    ),
    # --- messages point at the right place
    Case("csv-latin1", (Latin1(CSV),), (f"mini/{CSV}:4: Die Datei ist nicht UTF-8-kodiert.",)),
    Case("markdown-latin1", (Latin1(K2),), (f"mini/{K2}:3: Die Datei ist nicht UTF-8-kodiert.",)),
    Case("yaml-latin1", (Latin1(KZ),), (f"mini/{KZ}:8: Die Datei ist nicht UTF-8-kodiert.",)),
    Case(
        "chapter-parent-path",
        (Replace(P, "kapitel/02-arbeitsmarkt.md", "../geheim.md"),),
        (f"mini/{P}:22: Die Datei „../geheim.md“ liegt außerhalb des Programmordners.",),
    ),
    Case(
        "chapter-absolute-path",
        (Replace(P, "kapitel/01-vorwort.md", "/etc/passwd"),),
        (f"mini/{P}:17: Die Datei „/etc/passwd“ liegt außerhalb des Programmordners.",),
    ),
    # --- kinds that already held
    Case(
        "yaml-colon",
        (Replace(P, "jahr: 2024", "jahr: 2024: x"),),
        (
            f"mini/{P}:2: Ungültiges YAML: Doppelpunkt an unerwarteter Stelle (Text mit "
            "Doppelpunkt in Anführungszeichen setzen).",
        ),
    ),
    Case(
        "yaml-tab",
        (Replace(KZ, "  - wert: 161522", "\t- wert: 161522"),),
        (
            f"mini/{KZ}:3: Ungültiges YAML: Tabulatorzeichen sind nicht erlaubt, bitte mit "
            "Leerzeichen einrücken.",
        ),
    ),
    Case(
        "yaml-unclosed-quote",
        (Replace(KZ, "text: im erwerbsfähigen Alter", 'text: "im erwerbsfähigen Alter'),),
        (f"mini/{KZ}:9: Ungültiges YAML: Anführungszeichen nicht geschlossen.",),
    ),
    Case(
        "yaml-undefined-alias",
        (Replace(KZ, "wert: 161522", "wert: *zahl"),),
        (f"mini/{KZ}:3: Ungültiges YAML: unbekannter Verweis (*).",),
    ),
    Case(
        "yaml-python-tag",
        (Replace(KZ, "wert: 161522", "wert: !!python/object/apply:os.system [ls]"),),
        (
            f"mini/{KZ}:3: Ungültiges YAML: Markierungen wie !!python sind nicht erlaubt, nur "
            "Texte, Zahlen, Listen und Zuordnungen.",
        ),
    ),
    Case(
        "yaml-control-character",
        (Replace(KZ, "Einwohner", "Ein\x07wohner"),),
        (f"mini/{KZ}:4: Ungültiges YAML: unerlaubtes Steuerzeichen (U+0007).",),
    ),
    Case(
        "unknown-key",
        (Replace(P, "titel:", "titl:"),),
        (
            f"mini/{P}:1: Die Angabe „titel“ fehlt. "
            "Pflicht sind hier: jobcenter, jahr, titel, impressum, kapitel.",
            f"mini/{P}:3: Unbekannter Schlüssel „titl“. Meinten Sie „titel“?",
        ),
    ),
    Case(
        "duplicate-key",
        (Replace(P, "layout: bericht", "layout: bericht\njahr: 2025"),),
        (f"mini/{P}:5: Schlüssel „jahr“ doppelt.",),
    ),
    Case(
        "wrong-type-year",
        (Replace(P, "jahr: 2024", "jahr: zwanzig"),),
        (f"mini/{P}:2: „jahr“ muss eine ganze Zahl sein.",),
    ),
    Case(
        "year-quoted",
        (Replace(P, "jahr: 2024", 'jahr: "2024"'),),
        (f"mini/{P}:2: „jahr“ muss eine ganze Zahl sein.",),
    ),
    Case(
        "year-out-of-range",
        (Replace(P, "jahr: 2024", "jahr: 1999"),),
        (f"mini/{P}:2: „jahr“ muss mindestens 2000 sein.",),
    ),
    Case(
        "wrong-colour",
        (Replace(P, '"#004b87"', '"blau"'),),
        (f"mini/{P}:7: „farbe_primaer“ hat eine ungültige Form.",),
    ),
    Case(
        "unknown-layout",
        (Replace(P, "layout: bericht", "layout: plakat"),),
        (
            f"mini/{P}:4: Das Layout „plakat“ gibt es nicht "
            "(vorhanden: bericht, broschuere, handout).",
        ),
    ),
    Case(
        "missing-chapter-file",
        (Remove(K2),),
        (f"mini/{P}:22: Die Kapiteldatei „kapitel/02-arbeitsmarkt.md“ gibt es nicht.",),
    ),
    Case(
        "chapter-without-heading",
        (Replace(K1, "# Vorwort\n", "Vorwort\n"),),
        (f"mini/{K1}:1: Das Kapitel muss mit einer Überschrift „# Titel“ beginnen.",),
    ),
    Case(
        "unknown-table",
        (Replace(K2, "::tabelle eckwerte", "::tabelle eckwert"),),
        (f"mini/{K2}:11: „tabelle eckwert“: Die Datei „tabellen/eckwert.yaml“ gibt es nicht.",),
    ),
    Case(
        "directive-without-name",
        (Replace(K2, "::tabelle eckwerte", "::tabelle"),),
        (f"mini/{K2}:11: „::tabelle“ braucht einen Namen, z. B. „::tabelle name“.",),
    ),
    Case(
        "wrong-total",
        (Replace(TB, "4000000]", "4100000]"),),
        (
            f"mini/{TB}:12: Tabelle „Übersicht Budgetplanung“, Spalte „Budget“: angegeben "
            "4.100.000\u202f€, berechnet 3.971.985\u202f€.",
        ),
    ),
    Case(
        "wrong-formula-result",
        (Replace(TE, "6893, 6887, 6, 0.1", "6893, 6887, 7, 0.1"),),
        (f"mini/{TE}:21: Tabelle „Eckwerte“, Spalte „absolut“: angegeben +7, berechnet +6.",),
    ),
    Case(
        "csv-wrong-result",
        (Replace(CSV, ";Frauen;24.025;23.739;1,2", ";Frauen;24.025;23.739;1,5"),),
        (f"mini/{CSV}:5: Tabelle „{SVB}“, Spalte „in %“: angegeben +1,5, berechnet +1,2.",),
    ),
    Case(
        "formula-unknown-column",
        (Replace(TE, "formel: okt - sep", "formel: okt - vormonat"),),
        (f"mini/{TE}:10: Die Formel „okt - vormonat“ nennt die unbekannte Spalte „vormonat“.",),
    ),
    Case(
        "formula-python-call",
        (Replace(TE, "formel: okt - sep", "formel: __import__('os')"),),
        (f"mini/{TE}:10: Die Formel „__import__('os')“ {FORBIDDEN}",),
    ),
    Case(
        "formula-power",
        (Replace(TE, "formel: okt - sep", "formel: okt ** 99999999"),),
        (f"mini/{TE}:10: Die Formel „okt ** 99999999“ {FORBIDDEN}",),
    ),
    Case(
        "formula-unreadable",
        (Replace(TE, "formel: okt - sep", "formel: okt -* sep"),),
        (f"mini/{TE}:10: Die Formel „okt -* sep“ ist nicht lesbar.",),
    ),
    Case(
        "text-in-number-column",
        (Replace(TB, "[FbW, 484, 2923965]", "[FbW, viele, 2923965]"),),
        (
            f"mini/{TB}:7: „viele“ ist keine Zahl (Spalte „Plätze“; erlaubt sind Zahlen, "
            'auch deutsch geschrieben wie "1.234,5", und "x", "-", ".", "*" und "").',
        ),
    ),
    Case(
        "row-too-long",
        (Replace(TB, "[EGZ, 147, 1048020]", "[EGZ, 147, 1048020, 5]"),),
        (f"mini/{TB}:9: Die Zeile hat 4 Werte, die Tabelle aber 3 Spalten.",),
    ),
    Case(
        "csv-unknown-row-kind",
        (Replace(CSV, "gruppe;Geschlecht", "gruppen;Geschlecht"),),
        (f"mini/{CSV}:3: Unbekannte Zeilenart „gruppen“ in der Spalte „art“.",),
    ),
    Case("csv-empty", (Write(CSV, ""),), (f"mini/{CSV}:1: Die CSV-Datei ist leer.",)),
    Case(
        "unknown-chart-type",
        (Replace(CH, "typ: balken", "typ: torte"),),
        (
            f"mini/{CH}:1: Den Diagrammtyp „torte“ gibt es nicht (möglich: saeulen, balken, "
            "linie, kreis, ring).",
        ),
    ),
    Case(
        "missing-image",
        (Replace(K1, "Sehr", "![Foto](bilder/team.jpg)\n\nSehr"),),
        (f"mini/{K1}:3: Das Bild „bilder/team.jpg“ {NO_IMAGE}",),
    ),
    Case(
        "image-outside",
        (Replace(K1, "Sehr", "![Foto](../../outside.png)\n\nSehr"),),
        (f"mini/{K1}:3: Das Bild „../../outside.png“ {OUTSIDE}.",),
    ),
    Case(
        "image-url",
        (Replace(K1, "Sehr", "![Foto](https://example.org/x.png)\n\nSehr"),),
        (f"mini/{K1}:3: Das Bild „https://example.org/x.png“ {NO_IMAGE}",),
    ),
    Case(
        "missing-logo",
        (Remove("bilder/logo.svg"),),
        (f"mini/{P}:6: Die Logodatei „bilder/logo.svg“ gibt es nicht.",),
    ),
    Case(
        "chapter-symlink-outside",
        (Link(K2),),
        (
            f"mini/{P}:22: Die Datei „kapitel/02-arbeitsmarkt.md“ liegt außerhalb des "
            "Programmordners.",
        ),
    ),
    Case("table-symlink-outside", (Link(TB),), (f"mini/{TB}:1: {OUTSIDE_LINK}",)),
    Case(
        "csv-symlink-outside",
        (Link(CSV),),
        (f"mini/{TS}:3: Die CSV-Datei „tabellen/svb.csv“ {OUTSIDE}.",),
    ),
    Case(
        "image-symlink-outside",
        (Link("bilder/foto.png"), Replace(K1, "Sehr", "![Foto](bilder/foto.png)\n\nSehr")),
        (f"mini/{K1}:3: Das Bild „bilder/foto.png“ {OUTSIDE}.",),
    ),
    Case(
        "logo-symlink-outside",
        (Link("bilder/logo.svg"),),
        (f"mini/{P}:6: Die Logodatei „bilder/logo.svg“ {OUTSIDE}.",),
    ),
    Case(
        "chapter-is-a-pipe",
        (Fifo(K2),),
        (f"mini/{P}:22: Die Kapiteldatei „kapitel/02-arbeitsmarkt.md“ {NOT_REGULAR}.",),
    ),
    Case("table-is-a-pipe", (Fifo(TB),), (f"mini/{TB}: Die Datei „{TB}“ {NOT_REGULAR}.",)),
    Case(
        "csv-is-a-pipe",
        (Fifo(CSV),),
        (f"mini/{TS}:3: Die CSV-Datei „tabellen/svb.csv“ {NOT_REGULAR}.",),
    ),
    Case(
        "logo-is-a-folder",
        (Folder("bilder/logo.svg"),),
        (f"mini/{P}:6: Die Logodatei „bilder/logo.svg“ {NOT_REGULAR}.",),
    ),
    Case(
        "logo-symlink-to-a-device",
        (Link("bilder/logo.svg", "/dev/zero"),),
        (f"mini/{P}:6: Die Logodatei „bilder/logo.svg“ {OUTSIDE}.",),
    ),
    # --- SVG images are parsed (no entities) before they are cleaned and published
    Case(
        "logo-svg-external-entity",
        (Write("bilder/logo.svg", XXE),),
        (f"mini/{P}:6: Das Bild „bilder/logo.svg“ {ENTITY}",),
    ),
    Case(
        "logo-svg-billion-laughs",
        (Write("bilder/logo.svg", LAUGHS),),
        (f"mini/{P}:6: Das Bild „bilder/logo.svg“ {ENTITY}",),
    ),
    Case(
        "logo-svg-broken",
        (Write("bilder/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg">\n<g>\n</svg>'),),
        (
            f"mini/{P}:6: Das Bild „bilder/logo.svg“ ist keine lesbare SVG-Datei "
            "(Zeile 3: Element nicht richtig geschlossen).",
        ),
    ),
    Case(
        "logo-svg-is-html",
        (Write("bilder/logo.svg", "<html><body>Logo</body></html>"),),
        (
            f"mini/{P}:6: Das Bild „bilder/logo.svg“ ist keine SVG-Datei (das äußerste Element "
            "ist nicht <svg>).",
        ),
    ),
    Case(
        "image-svg-undefined-entity",
        (
            Write("bilder/karte.svg", "<svg>&xxe;</svg>"),
            Replace(K1, "Sehr", "![Karte](bilder/karte.svg)\n\nSehr"),
        ),
        (
            f"mini/{K1}:3: Das Bild „bilder/karte.svg“ ist keine lesbare SVG-Datei "
            "(Zeile 1: unbekannte Entity (&…;)).",
        ),
    ),
    Case(
        "image-svg-empty",
        (Write("bilder/karte.svg", ""), Replace(K1, "Sehr", "![Karte](bilder/karte.svg)\n\nSehr")),
        (
            f"mini/{K1}:3: Das Bild „bilder/karte.svg“ ist keine lesbare SVG-Datei "
            "(Zeile 1: kein Inhalt).",
        ),
    ),
    Case(
        "image-svg-too-big",
        (
            Write("bilder/karte.svg", "<svg>" + " " * MAX_FILE_BYTES + "</svg>"),
            Replace(K1, "Sehr", "![Karte](bilder/karte.svg)\n\nSehr"),
        ),
        (f"mini/{K1}:3: Das Bild „bilder/karte.svg“ ist größer als 5 MB (Grenze für SVG-Bilder).",),  # noqa: E501
    ),
]

# Build cases: the previous good output must stay byte-identical.
BUILD_CASES = [
    "date-feb-30",
    "yaml-alias-bomb",
    "csv-field-too-many",
    "table-placed-twice",
    "keyfigure-inf",
    "programme-broken-others-still-checked",
    "programme-chapter-and-table-all-reported",
    "logo-svg-billion-laughs",
    "emphasis-nested-20000-deep",
    "brackets-and-emphasis-40000-in-one-word",
]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), prog_name="aipgen")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout + result.stderr


def reported(output: str) -> list[str]:
    return [
        line.removeprefix("Fehler: ") for line in output.splitlines() if line.startswith("Fehler: ")
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_reports_bad_input(case: Case, data_dir: Path) -> None:
    for step in case.steps:
        step.apply(data_dir / "mini")
    code, output = run("check", "--data-dir", str(data_dir))
    assert "Traceback" not in output
    assert reported(output) == list(case.expected)
    assert code == 1


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def good_build(data_dir: Path, tmp_path: Path) -> Path:
    """An output folder that holds a good build of the unbroken programme."""
    output = tmp_path / "output"
    code, text = run(
        "build", "--ohne-pdf", "--data-dir", str(data_dir), "--output-dir", str(output)
    )
    assert code == 0, text
    return output


@pytest.mark.parametrize("name", BUILD_CASES)
def test_failed_build_keeps_previous_output(name: str, data_dir: Path, good_build: Path) -> None:
    case = next(c for c in CASES if c.id == name)
    before = snapshot(good_build)
    for step in case.steps:
        step.apply(data_dir / "mini")
    code, output = run(
        "build", "--ohne-pdf", "--data-dir", str(data_dir), "--output-dir", str(good_build)
    )
    assert "Traceback" not in output
    assert reported(output) == list(case.expected)
    assert code == 1
    assert snapshot(good_build) == before


def test_enough_cases() -> None:
    assert len(CASES) >= 90
    assert len({c.id for c in CASES}) == len(CASES)


# ---------------------------------------------------------------- every key's error at its line


@dataclass(frozen=True)
class KeyCase:
    """A top-level key of programm.yaml written wrong: its block, the text of the line the
    error belongs on, and the message."""

    key: str
    block: str
    at: str
    message: str


KEY_CASES = [
    KeyCase("jobcenter", "jobcenter: [Jobcenter]", "jobcenter:", "„jobcenter“ muss ein Text sein."),
    KeyCase("jahr", "jahr: zwanzig", "jahr:", "„jahr“ muss eine ganze Zahl sein."),
    KeyCase("titel", "titel: [Programm]", "titel:", "„titel“ muss ein Text sein."),
    KeyCase("untertitel", "untertitel: [a]", "untertitel:", "„untertitel“ muss ein Text sein."),
    KeyCase(
        "layout",
        "layout: plakat",
        "layout:",
        "Das Layout „plakat“ gibt es nicht (vorhanden: bericht, broschuere, handout).",
    ),
    KeyCase(
        "theme",
        'theme:\n  farbe_primaer: "#004b87"\n  logo: bilder/fehlt.svg',
        "  logo:",
        "Die Logodatei „bilder/fehlt.svg“ gibt es nicht.",
    ),
    KeyCase(
        "theme",
        'theme:\n  logo: bilder/logo.svg\n  farbe_akzent: "rot"',
        "  farbe_akzent:",
        "„farbe_akzent“ hat eine ungültige Form.",
    ),
    KeyCase("slogan", "slogan: [a, b]", "slogan:", "„slogan“ muss ein Text sein."),
    KeyCase(
        "titelbild",
        "titelbild:\n  alt: Foto\n  nachweis: Musterstadt\n  datei: bilder/fehlt.jpg",
        "  datei:",
        "Das Titelbild „bilder/fehlt.jpg“ gibt es nicht.",
    ),
    KeyCase(
        "kapitelnummern",
        "kapitelnummern: vielleicht",
        "kapitelnummern:",
        "„kapitelnummern“ muss true oder false sein.",
    ),
    KeyCase("stand", "stand: 2023-02-30", "stand:", f"„2023-02-30“ {NO_DATE}"),
    KeyCase(
        "impressum",
        "impressum:\n  hinweis: Text",
        "impressum:",
        "Die Angabe „herausgeber“ fehlt. Pflicht sind hier: herausgeber.",
    ),
    KeyCase(
        "anhang",
        "anhang:\n  bezeichnung: Anlage\n  nummern: griechisch",
        "  nummern:",
        "„nummern“ muss einer dieser Werte sein: roemisch, arabisch, buchstaben.",
    ),
    KeyCase(
        "kapitel",
        f"kapitel:\n  - datei: {K1}\n  - datei: {K2}\n  - datei: kapitel/fehlt.md",
        "  - datei: kapitel/fehlt.md",
        "Die Kapiteldatei „kapitel/fehlt.md“ gibt es nicht.",
    ),
    KeyCase(
        "kapitel",
        f"kapitel:\n  - datei: {K2}\n  - datei: {K1}",
        f"  - datei: {K1}",
        too_big(K1),
    ),
    KeyCase(
        "ausgaben",
        "ausgaben: [web, fax]",
        "ausgaben:",
        "Unbekannte Ausgabe „fax“ (möglich sind: web, pdf, druck, word).",
    ),
    KeyCase(
        "druck",
        "druck:\n  schnittmarken: true\n  profil: fehlt.icc",
        "  profil:",
        "Das Farbprofil „fehlt.icc“ gibt es nicht im Programmordner.",
    ),
    KeyCase(
        "web",
        "web:\n  datenschutz: javascript:alert(1)",
        "  datenschutz:",
        "„datenschutz“ hat eine ungültige Form.",
    ),
    KeyCase(
        "barrierefreiheit",
        "barrierefreiheit:\n  traeger: kommunal\n  land: Atlantis\n  kontakt:\n"
        "    email: barrierefreiheit@musterstadt.de",
        "  land:",
        "Für das Land „Atlantis“ kennt aipgen keine Stelle für Beschwerden zur Barrierefreiheit "
        "(bekannt: Nordrhein-Westfalen); bitte „land“ angeben oder die Stelle unter "
        "„durchsetzung“ mit „name“ und „url“ nennen.",
    ),
    KeyCase("vorjahr", "vorjahr: Muster Stadt", "vorjahr:", "„programm“ hat eine ungültige Form."),
    KeyCase("farbe", "farbe: blau", "farbe:", "Unbekannter Schlüssel „farbe“."),
    KeyCase(
        "lizenz",
        "lizenz: frei",
        "lizenz:",
        "Unbekannte Lizenz „frei“ (möglich sind: dl-de/by-2-0, dl-de/zero-2-0, cc-by-4.0, "
        "cc0-1.0).",
    ),
    KeyCase(
        "vergleich",
        "vergleich:\n  elbx: 15406",
        "vergleich:",
        "Unbekannte Kennzahl „elbx“ (möglich sind: elb, bedarfsgemeinschaften, arbeitslose, "
        "langzeitleistungsbeziehende, sgb2_quote, arbeitslosenquote, integrationsquote, "
        "eingliederungsmittel).",
    ),
    KeyCase(
        "kapitelanfang",
        "kapitelanfang: links",
        "kapitelanfang:",
        "„kapitelanfang“ muss einer dieser Werte sein: automatisch, neue_seite, rechte_seite, "
        "fortlaufend.",
    ),
    KeyCase(
        "verzeichnis_ab",
        "verzeichnis_ab: 0",
        "verzeichnis_ab:",
        "„verzeichnis_ab“ muss mindestens 1 sein.",
    ),
    KeyCase(
        "web",
        "ausgaben: [pdf, web]",
        "ausgaben:",
        "Für die Website fehlt „web“ (Datenschutz-Link und Erklärung zur Barrierefreiheit, "
        "siehe Anleitung). In programm.yaml ergänzen, z. B. „web: {datenschutz: "
        "https://www.jobcenter-musterstadt.de/datenschutz}“; ohne Website bauen: "
        "„--nur pdf,druck“.",
    ),
]


def moved_to_end(text: str, key: str, block: str) -> str:
    """programm.yaml without the key's block, the given block at its end after comments."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), len(lines))
    end = start + 1
    while end < len(lines) and lines[end].startswith((" ", "#")):
        end += 1
    kept = lines[:start] + lines[end:]
    return "\n".join([*kept, "", "# weiter unten:", f"# {key}", block, "# Ende", ""])


def test_key_cases_cover_every_top_level_key() -> None:
    from aipgen.content.model import ProgrammeFile

    keys = {f.alias or name for name, f in ProgrammeFile.model_fields.items()}
    assert keys <= {c.key for c in KEY_CASES}


@pytest.mark.parametrize("case", KEY_CASES, ids=[f"{c.key}-{c.at.strip()}" for c in KEY_CASES])
def test_key_error_at_its_own_line(case: KeyCase, data_dir: Path) -> None:
    """An error in any top-level key is reported at its own line, wherever the key stands."""
    path = data_dir / "mini" / P
    text = moved_to_end(path.read_text(encoding="utf-8"), case.key, case.block)
    path.write_text(text, encoding="utf-8")
    if case.message == too_big(K1):
        Oversize(K1).apply(data_dir / "mini")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith(case.at))
    code, output = run("check", "--data-dir", str(data_dir))
    assert reported(output) == [f"mini/{P}:{line}: {case.message}"]
    assert line > text.splitlines().index("# weiter unten:")  # after every other key
    assert code == 1


# ---------------------------------------------------------------- hostile but harmless input

HARMLESS = [
    (
        "script-in-title",
        Replace(P, "titel: Arbeitsmarkt-", "titel: <script>alert(1)</script> Arbeitsmarkt-"),
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<script>alert",
    ),
    (
        "script-in-text",
        Replace(K1, "Sehr", "<script>alert(1)</script>\n\nSehr"),
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<script>alert",
    ),
    (
        "javascript-link",
        Replace(K1, "Sehr", "[klick](javascript:alert(1))\n\nSehr"),
        "[klick](javascript:alert(1))",
        'href="javascript:',
    ),
    (
        "markup-in-table-title",
        Replace(TB, "titel: Übersicht Budgetplanung", 'titel: "<img src=x onerror=alert(1)>"'),
        "&lt;img src=x onerror=alert(1)&gt;",
        "<img src=x",
    ),
    (
        "markup-in-cell",
        Replace(TB, "[FbW, 484", '["<b onmouseover=x>FbW</b>", 484'),
        "&lt;b onmouseover=x&gt;FbW&lt;/b&gt;",
        "<b onmouseover",
    ),
    ("bom-before-heading", Replace(K1, "# Vorwort", "\ufeff# Vorwort"), " Vorwort</h2>", "\ufeff"),
]


@pytest.mark.parametrize(
    ("step", "shown", "absent"), [h[1:] for h in HARMLESS], ids=[h[0] for h in HARMLESS]
)
def test_hostile_markup_is_escaped(
    step: Step, shown: str, absent: str, data_dir: Path, tmp_path: Path
) -> None:
    step.apply(data_dir / "mini")
    output = tmp_path / "output"
    code, text = run(
        "build", "--ohne-pdf", "--data-dir", str(data_dir), "--output-dir", str(output)
    )
    assert code == 0, text
    html = (output / "mini/index.html").read_text(encoding="utf-8")
    assert shown in html
    assert absent not in html


def test_unused_footnote_is_a_warning(data_dir: Path) -> None:
    edit(data_dir / "mini" / K2, "innen.[^ew]", "innen.")
    code, output = run("check", "--data-dir", str(data_dir))
    assert code == 0
    assert f"Warnung: mini/{K2}:25: Die Fußnote „[^ew]“ wird im Text nicht verwendet." in output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(data_dir: Path) -> None:
    path = data_dir / "mini" / KZ
    path.chmod(0)
    code, output = run("check", "--data-dir", str(data_dir))
    assert reported(output) == [
        f"mini/{KZ}:1: Die Datei lässt sich nicht lesen (fehlende Leserechte?)."
    ]
    assert code == 1


# ---------------------------------------------------------------- the disk and the output folder

WRITE_FAILED = "Die bisherige Ausgabe bleibt erhalten."


def os_error(code: int) -> OSError:
    return OSError(code, os.strerror(code))


# (id, what fails, errno, German reason): the writer meets a full disk, a read-only or
# forbidden folder while writing, renaming or creating its staging folder.
DISK_TRAPS = [
    ("full-disk-file", "pathlib.Path.write_bytes", errno.ENOSPC, "kein Speicherplatz mehr frei"),
    (
        "quota-file",
        "pathlib.Path.write_bytes",
        errno.EDQUOT,
        "das Speicherkontingent ist erschöpft",
    ),
    ("io-error-file", "pathlib.Path.write_bytes", errno.EIO, "Ein-/Ausgabefehler des Laufwerks"),
    ("full-disk-folder", "tempfile.mkdtemp", errno.ENOSPC, "kein Speicherplatz mehr frei"),
    ("forbidden-folder", "tempfile.mkdtemp", errno.EACCES, "keine Schreibberechtigung"),
    ("read-only-rename", "pathlib.Path.rename", errno.EROFS, "das Laufwerk ist schreibgeschützt"),
    ("full-disk-overview", "os.fdopen", errno.ENOSPC, "kein Speicherplatz mehr frei"),
    ("unknown-errno", "pathlib.Path.write_bytes", errno.ENOLCK, f"Systemfehler {errno.ENOLCK}"),
]


@pytest.mark.parametrize(
    ("target", "code", "reason"), [t[1:] for t in DISK_TRAPS], ids=[t[0] for t in DISK_TRAPS]
)
def test_write_failure_keeps_previous_output(
    target: str, code: int, reason: str, data_dir: Path, good_build: Path
) -> None:
    before = snapshot(good_build)
    with mock.patch(target, side_effect=os_error(code)):  # built again, though unchanged
        exit_code, output = run(
            "build", "--ohne-pdf", "--alles-neu", "--data-dir", str(data_dir), "--output-dir",
            str(good_build),
        )  # fmt: skip
    assert "Traceback" not in output
    assert exit_code == 1
    assert f"Fehler beim Schreiben nach „{good_build}“: {reason}. {WRITE_FAILED}" in output
    assert snapshot(good_build) == before
    assert [p.name for p in good_build.rglob(".*")] == []


def test_swap_restores_old_output_when_the_new_cannot_move_in(good_build: Path) -> None:
    """The second rename (staging → output/mini) fails: output/mini must come back."""
    before = snapshot(good_build)
    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:
        if self.name.startswith(".mini-neu-"):
            raise os_error(errno.ENOSPC)
        return real_rename(self, target)

    with mock.patch.object(Path, "rename", rename), pytest.raises(OSError):
        write_tree(good_build, "mini", {"index.html": b"neu"})
    assert snapshot(good_build) == before
    assert [p.name for p in good_build.rglob(".*")] == []


def link_programme_folder(output: Path, elsewhere: Path) -> None:
    shutil.rmtree(output / "mini")
    (output / "mini").symlink_to(elsewhere, target_is_directory=True)


def link_overview(output: Path, elsewhere: Path) -> None:
    (output / "index.html").unlink()
    (output / "index.html").symlink_to(elsewhere / "fremd.html")


def link_dangling(output: Path, elsewhere: Path) -> None:
    shutil.rmtree(output / "mini")
    (output / "mini").symlink_to(elsewhere / "gibt-es-nicht")


# Symlinks in the output folder are replaced by real files; what they point to stays untouched.
OUTPUT_LINKS = [
    ("programme-folder-link", link_programme_folder),
    ("overview-link", link_overview),
    ("dangling-link", link_dangling),
]


@pytest.mark.parametrize("arrange", [o[1] for o in OUTPUT_LINKS], ids=[o[0] for o in OUTPUT_LINKS])
def test_symlinks_in_output_are_replaced_not_followed(
    arrange: Callable[[Path, Path], None], data_dir: Path, good_build: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "anderswo"
    elsewhere.mkdir()
    (elsewhere / "fremd.html").write_text("fremd", encoding="utf-8")
    expected = snapshot(good_build)
    arrange(good_build, elsewhere)
    code, output = run(
        "build", "--ohne-pdf", "--data-dir", str(data_dir), "--output-dir", str(good_build)
    )
    assert code == 0, output
    assert snapshot(good_build) == expected
    assert not any(p.is_symlink() for p in good_build.rglob("*"))
    assert snapshot(elsewhere) == {"fremd.html": b"fremd"}
    assert [p.name for p in good_build.rglob(".*")] == []


def test_output_dir_is_a_file(data_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "output"
    blocker.write_text("keine Ordner hier", encoding="utf-8")
    code, output = run(
        "build", "--ohne-pdf", "--data-dir", str(data_dir), "--output-dir", str(blocker)
    )
    assert code == 2
    assert output.endswith(
        f"Fehler: Ungültiger Wert für '--output-dir': Ordner '{blocker}' ist eine Datei, "
        "kein Ordner.\n"
    )
    assert blocker.read_text(encoding="utf-8") == "keine Ordner hier"


def test_mostly_estimated_chart_is_a_warning(data_dir: Path) -> None:
    chart = data_dir / "mini" / "diagramme" / "schaetzung.yaml"
    chart.write_text(
        "typ: saeulen\ntitel: Geschätzte Eintritte\nkategorien: [A, B, C]\nreihen:\n"
        "  - name: Eintritte\n    werte: [1, 2, 3]\n    geschaetzt: [true, true, false]\n",
        encoding="utf-8",
    )
    edit(data_dir / "mini" / K2, "innen.[^ew]", "innen.[^ew]\n\n::diagramm schaetzung\n")
    code, output = run("check", "--strict", "--data-dir", str(data_dir))
    assert code == 1
    assert (
        "Warnung: mini/diagramme/schaetzung.yaml:4: Im Diagramm „Geschätzte Eintritte“ sind 2 von "
        "3 Werten geschätzt. Ein Diagramm soll belegte Zahlen zeigen; geschätzte Werte sind die "
        "Ausnahme."
    ) in output.replace("\n", " ").replace("  ", " ")
