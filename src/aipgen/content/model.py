"""Typed models of the content files (programm.yaml, tables, charts, key figures).

The YAML keys are German (what editors write); attributes are English, mapped by alias.
Every model forbids unknown keys, so a typo is reported instead of silently ignored.
Numbers are strict: a quoted "1.234" is an error, not 1,234 (English reading) shown as "1";
they are finite as well (the loader already refuses .inf and .nan).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from aipgen.base.formats import FORMATS, defaults, known_formats
from aipgen.content.chartdata import CHART_KINDS
from aipgen.content.comparison import check_key_figures
from aipgen.content.licences import DEFAULT_LICENCE, check_licence

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
ROW_NUMBER_PATTERN = r"^([0-9]+|[IVXLC]+)(\.[0-9]+)*\.?$"  # 1. 1.4 2.10 IV.
# Numbers as YAML writes them (12, 12.5), never text; whole numbers stay whole.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Integer = Annotated[int, Field(strict=True)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


def check_cmyk(value: list[float] | None) -> list[float] | None:
    if value is not None and (len(value) != 4 or not all(0 <= v <= 100 for v in value)):
        raise ValueError(
            "CMYK-Werte bitte als vier Prozentzahlen von 0 bis 100 angeben, z. B. [100, 60, 0, 10]"
        )
    return value


class Theme(Strict):
    logo: str | None = None
    # None: the design's default colours (templates/common/farben.yaml, see layouts.py)
    primary: str | None = Field(None, alias="farbe_primaer", pattern=r"^#[0-9a-fA-F]{6}$")
    accent: str | None = Field(None, alias="farbe_akzent", pattern=r"^#[0-9a-fA-F]{6}$")
    # The brand's own CMYK values for print; without them the sRGB colour is converted.
    primary_cmyk: list[float] | None = Field(None, alias="farbe_primaer_cmyk")
    accent_cmyk: list[float] | None = Field(None, alias="farbe_akzent_cmyk")

    _cmyk = field_validator("primary_cmyk", "accent_cmyk")(check_cmyk)


class PrintOptions(Strict):
    """The print shop's wishes for the print PDF."""

    profile: str | None = Field(None, alias="profil")  # ICC file in the programme folder
    condition: str | None = Field(None, alias="bedingung")  # e.g. FOGRA39, FOGRA51
    page_multiple: int | None = Field(None, alias="seitenzahl_vielfaches", ge=1, le=16)
    crop_marks: bool = Field(False, alias="schnittmarken")
    # the highest total ink (C+M+Y+K in %) the print shop accepts; None: as the profile says
    # (printprofile.ink_limit)
    ink_limit: int | None = Field(None, alias="farbauftrag_max", ge=200, le=400)


def check_outputs(value: list[str]) -> list[str]:
    unknown = [name for name in value if name not in FORMATS]
    if unknown:
        raise ValueError(f"Unbekannte Ausgabe „{unknown[0]}“ (möglich sind: {known_formats()})")
    return value


# Links editors write: web addresses (https), mail addresses, or paths relative to the page.
URL_PATTERN = r"^(https?://[^\s\"'<>]+|[A-Za-z0-9._~/#%-]+)$"
EMAIL_PATTERN = r"^[^@\s\"'<>]+@[^@\s\"'<>]+\.[A-Za-z]{2,}$"


class Contact(Strict):
    phone: str = Field("", alias="telefon")
    email: str = Field("", alias="email", pattern=f"{EMAIL_PATTERN}|^$")
    web: str = Field("", alias="web", pattern=f"{URL_PATTERN}|^$")

    def __bool__(self) -> bool:
        return bool(self.phone or self.email or self.web)


class Imprint(Strict):
    publisher: str = Field(alias="herausgeber")
    note: str = Field("", alias="hinweis")
    contact: Contact = Field(Contact(), alias="kontakt")


class Website(Strict):
    """What the website needs beyond the document: links into the jobcenter's own site, the
    site's own address, and the explanations BITV 2.0 § 4 asks for."""

    privacy: str = Field(alias="datenschutz", pattern=URL_PATTERN)
    overview: str = Field("../index.html", alias="uebersicht", pattern=URL_PATTERN)
    # where the programme's pages are published (https://…/): canonical links and sitemap.xml
    address: str | None = Field(None, alias="adresse", pattern=r"^https://[^\s\"'<>]+$")
    # the page in Leichte Sprache (leichte-sprache.html); false: none, named as missing
    easy_language: bool = Field(True, alias="leichte_sprache")
    # a video in German Sign Language explaining the pages; without it: named as missing
    sign_language: str | None = Field(None, alias="gebaerdensprache", pattern=URL_PATTERN)


class FeedbackContact(Contact):
    """Who takes feedback on accessibility: e-mail or phone, and a postal address (else the
    imprint's)."""

    postal: str = Field("", alias="anschrift")


class Route(Strict):
    """An enforcement route the editor names (another Land, or a route of its own)."""

    name: str = Field(min_length=1)
    url: str = Field(pattern=URL_PATTERN)
    text: str = ""  # what the office does, shown before the link
    # the rules the statement measures the pages against, as its status sentence names them
    rules: str = Field("§ 3 Absätze 1 bis 4 und § 4 der BITV 2.0", alias="regeln", min_length=1)


class DeclaredGap(Strict):
    """A part of the pages that is not accessible, declared by the editor."""

    part: str = Field(alias="inhalt", min_length=1)
    criteria: list[str] = Field(alias="kriterien", min_length=1)
    reason: Literal["unvereinbar", "unverhaeltnismaessig", "nicht_anwendbar"] = Field(alias="grund")
    explanation: str = Field("", alias="begruendung")
    alternative: str = Field(alias="alternative", min_length=1)


class AccessibilityStatement(Strict):
    """The "Erklärung zur Barrierefreiheit" that BITV 2.0 § 7 requires for the website."""

    # None: the build date (never the programme's "stand")
    created: datetime.date | None = Field(None, alias="erstellt")
    reviewed: datetime.date | None = Field(None, alias="ueberprueft")
    # None: "teilweise" when anything is listed as not accessible, else "vollstaendig"
    status: Literal["vollstaendig", "teilweise", "nicht"] | None = None
    gaps: list[DeclaredGap] = Field(default_factory=list, alias="nicht_barrierefrei")
    method: str = Field("Selbstbewertung", alias="bewertung")
    manual_test: str = Field("", alias="manuelle_pruefung")
    contact: FeedbackContact = Field(alias="kontakt")
    # the kind of body (templates/common/durchsetzung.yaml): its law decides the route
    body: str = Field("gemeinsame_einrichtung", alias="traeger")
    state: str = Field("", alias="land")
    route: Route | None = Field(None, alias="durchsetzung")

    @model_validator(mode="after")
    def reachable(self) -> AccessibilityStatement:
        if not (self.contact.email or self.contact.phone):
            raise ValueError(
                "Für Rückmeldungen zur Barrierefreiheit braucht „kontakt“ eine E-Mail-Adresse "
                "oder Telefonnummer"
            )
        return self


class Signature(Strict):
    greeting: str = Field("Mit freundlichen Grüßen", alias="gruss")
    function: str = Field("", alias="funktion")
    names: list[str] = Field(alias="namen", min_length=1)


class CoverPhoto(Strict):
    """A photo on the cover, with its credit (shown on the cover and in the imprint)."""

    file: str = Field(alias="datei")
    alt: str = Field(alias="alt", min_length=1)
    credit: str = Field(alias="nachweis", min_length=1)


class ChapterRef(Strict):
    file: str = Field(alias="datei")
    signature: Signature | None = Field(None, alias="unterschrift")
    # an appendix chapter: numbered "Anhang I", "Anhang II" … apart from the chapters
    appendix: bool = Field(False, alias="anhang")


class AppendixStyle(Strict):
    """How appendix chapters are called and counted: "Anhang I" (default) or "Anlage 1"."""

    label: str = Field("Anhang", alias="bezeichnung", min_length=1)
    numbers: Literal["roemisch", "arabisch", "buchstaben"] = Field("roemisch", alias="nummern")


PROGRAMME_NAME = r"^[a-z0-9][a-z0-9-]*$"  # a programme folder's name (aipgen neu)


class PreviousYear(Strict):
    """Last year's programme to compare with: figures not updated, the change report."""

    programme: str = Field(alias="programm", pattern=PROGRAMME_NAME)
    # figures that really stayed the same: "tabelle", "tabelle/zeile" or "tabelle/zeile/spalte";
    # text confirmed as it is (staletext): "datei" or "datei/fund", e.g. "kapitel/03-ziele.md/2023"
    confirmed: list[str] = Field(default_factory=list, alias="bestaetigt")
    # a change by more than this share (in %) is listed as implausible in the change report
    threshold: Number = Field(50.0, alias="schwelle", gt=0)

    @model_validator(mode="before")
    @classmethod
    def shorthand(cls, value: Any) -> Any:
        """`vorjahr: musterstadt-2026` is short for `vorjahr: {programm: musterstadt-2026}`."""
        return {"programm": value} if isinstance(value, str) else value


# Where a chapter begins in the PDFs (layout.yaml and programm.yaml: kapitelanfang).
CHAPTER_STARTS = Literal["automatisch", "neue_seite", "rechte_seite", "fortlaufend"]


class ProgrammeFile(Strict):
    jobcenter: str
    year: Integer = Field(alias="jahr", ge=2000, le=2100)
    title: str = Field(alias="titel")
    subtitle: str = Field("", alias="untertitel")
    layout: str = "bericht"
    theme: Theme = Theme()
    slogan: str = ""  # lines for the cover, e.g. "Beraten\nfördern\nintegrieren"
    cover_photo: CoverPhoto | None = Field(None, alias="titelbild")
    # None: as the layout says (layout.yaml, kapitelnummern, kapitelanfang, verzeichnis_ab)
    chapter_numbers: bool | None = Field(None, alias="kapitelnummern")
    chapter_start: CHAPTER_STARTS | None = Field(None, alias="kapitelanfang")
    list_minimum: int | None = Field(None, alias="verzeichnis_ab", ge=1)
    date: datetime.date | None = Field(None, alias="stand")
    imprint: Imprint = Field(alias="impressum")
    appendix: AppendixStyle = Field(AppendixStyle(), alias="anhang")
    chapters: list[ChapterRef] = Field(alias="kapitel", min_length=1)
    outputs: list[str] = Field(default_factory=defaults, alias="ausgaben")
    print_options: PrintOptions = Field(PrintOptions(), alias="druck")
    website: Website | None = Field(None, alias="web")
    accessibility: AccessibilityStatement | None = Field(None, alias="barrierefreiheit")
    previous: PreviousYear | None = Field(None, alias="vorjahr")
    # the licence of the open data beside the website (content/licences.py)
    licence: str = Field(DEFAULT_LICENCE, alias="lizenz")
    # key figures for the overview's comparison of all programmes (content/comparison.py)
    comparison: dict[str, Number | str] = Field(default_factory=dict, alias="vergleich")

    _outputs = field_validator("outputs")(check_outputs)
    _licence = field_validator("licence")(check_licence)
    _comparison = field_validator("comparison")(check_key_figures)

    @property
    def address(self) -> list[str]:
        """The publisher's postal address for the back cover: the lines after the one naming
        the jobcenter (which the back cover prints once, as its heading), else after the first."""
        lines = [line.strip() for line in self.imprint.publisher.strip().splitlines()]
        named = [i for i, line in enumerate(lines) if line == self.jobcenter.strip()]
        return lines[(named[0] if named else 0) + 1 :]


class Column(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field("", alias="titel")
    groups: list[str] = Field(default_factory=list, alias="gruppe")
    type: Literal["text", "zahl", "liste", "trend", "marke", "inhalt"] = Field("zahl", alias="typ")
    decimals: Integer = Field(0, alias="nachkommastellen", ge=0, le=6)
    unit: str = Field("", alias="einheit")
    signed: bool = Field(False, alias="vorzeichen")
    formula: str | None = Field(None, alias="formel")
    basis: str | None = None
    corridor: Number = Field(1.0, alias="korridor", gt=0)
    width: Integer | None = Field(None, alias="breite", ge=5, le=95)  # share of the table in %

    @model_validator(mode="after")
    def trend_needs_basis(self) -> Column:
        if self.type == "trend" and not self.basis:
            raise ValueError("Eine Trendspalte braucht „basis“ (Spalte mit der Veränderung in %)")
        return self


class Row(Strict):
    id: str | None = Field(None, pattern=ID_PATTERN)
    values: list[Any] | None = Field(None, alias="werte")
    group: str | None = Field(None, alias="gruppe")
    subtotal: str | None = Field(None, alias="summe")
    total: str | None = Field(None, alias="gesamt")
    below: bool = Field(False, alias="darunter")
    emphasis: bool = Field(False, alias="hervorgehoben")
    reference: bool = Field(False, alias="bezug")
    tolerance: dict[str, Annotated[Number, Field(ge=0)]] = Field(
        default_factory=dict, alias="toleranz"
    )
    # columns whose stated figure is printed although it differs from the computed one (the
    # source states it so); the difference goes to the editor, not into the document
    acknowledged: list[str] = Field(default_factory=list, alias="abweichung_bestaetigt")
    decimals: Integer | None = Field(None, alias="nachkommastellen", ge=0, le=6)
    # columns whose cell continues the cell above (one cell spanning rows)
    merge_up: list[str] = Field(default_factory=list, alias="zeilen_verbinden")
    # a group heading that carries the sum of the data rows below it, up to the next one
    group_total: str | None = Field(None, alias="gruppensumme")
    # shown in parentheses "for information", counted in no sum
    informational: bool = Field(False, alias="nachrichtlich")
    # a number shown before the row's label ("1.", "1.4"), checked against its group's number
    number: str | None = Field(None, alias="nummer", pattern=ROW_NUMBER_PATTERN)
    # a row computed column by column from other rows (by id), e.g. a change to the column before
    formula: str | None = Field(None, alias="formel")
    unit: str | None = Field(None, alias="einheit")  # other unit in this row's number cells
    signed: bool | None = Field(None, alias="vorzeichen")

    @model_validator(mode="after")
    def one_form(self) -> Row:
        if self.group is not None:
            if self.values is not None or self.subtotal is not None or self.total is not None:
                raise ValueError("Eine Gruppenzeile hat nur „gruppe“, keine „werte“")
            if self.merge_up:
                raise ValueError("Eine Gruppenzeile verbindet keine Zellen mit der Zeile darüber")
            if self.formula is not None:
                raise ValueError("Eine Gruppenzeile hat keine „formel“")
        elif self.values is None:
            raise ValueError("Die Zeile braucht „werte“ oder „gruppe“")
        forms = [self.subtotal, self.total, self.group_total]
        if self.group_total is not None and sum(f is not None for f in forms) > 1:
            raise ValueError("Eine Zeile ist entweder „gruppensumme“, „summe“ oder „gesamt“")
        if self.subtotal is not None and self.total is not None:
            raise ValueError("Eine Zeile ist entweder „summe“ oder „gesamt“")
        return self

    @property
    def kind(self) -> str:
        if self.group is not None:
            return "gruppe"
        if self.subtotal is not None:
            return "summe"
        if self.total is not None:
            return "gesamt"
        if self.group_total is not None:
            return "gruppensumme"
        return "zeile"


class TableFile(Strict):
    title: str = Field(alias="titel")
    source: str = Field("", alias="quelle")
    notes: list[str] = Field(default_factory=list, alias="anmerkungen")
    columns: list[Column] = Field(alias="spalten", min_length=1)
    rows: list[Row] = Field(default_factory=list, alias="zeilen")
    data: str | None = Field(None, alias="daten")
    # numbering of the group rows (gruppe, gruppensumme): "I.", "II." … (see numbering.py)
    group_numbers: Literal["roemisch", "arabisch", "buchstaben"] | None = Field(
        None, alias="gruppen_nummern"
    )
    # the symbols of the columns with typ: marke and what each means (legend under the table)
    marks: dict[str, str] = Field(default_factory=dict, alias="marken")

    @model_validator(mode="after")
    def marks_for_mark_columns(self) -> TableFile:
        if any(c.type == "marke" for c in self.columns) and not self.marks:
            raise ValueError(
                "Eine Spalte mit „typ: marke“ braucht unter „marken“ die Zeichen und ihre "
                'Bedeutung, z. B. marken: {"●": "Schwerpunkt"}'
            )
        return self

    # the table's own signs for "no number" in number columns, shown as written (e.g. "n.B.")
    markers: list[Annotated[str, Field(min_length=1, max_length=8)]] = Field(
        default_factory=list, alias="zeichen"
    )

    @model_validator(mode="after")
    def rows_or_data(self) -> TableFile:
        if bool(self.rows) == bool(self.data):
            raise ValueError("Die Tabelle braucht entweder „zeilen“ oder „daten“ (CSV-Datei)")
        return self


class SeriesSpec(Strict):
    name: str
    values: list[Number | None] = Field(alias="werte", min_length=1)
    estimated: bool | list[bool] = Field(False, alias="geschaetzt")


class FromTable(Strict):
    table: str = Field(alias="tabelle")
    categories: str = Field("", alias="kategorien")
    series: list[str] = Field(default_factory=list, alias="reihen")
    rows: list[str] = Field(default_factory=list, alias="zeilen")
    # the other way round: these columns are the categories (e.g. years), each row a series
    columns: list[str] = Field(default_factory=list, alias="spalten")

    @model_validator(mode="after")
    def one_direction(self) -> FromTable:
        if self.columns and (self.categories or self.series):
            raise ValueError(
                "Entweder „kategorien“ und „reihen“ (je Spalte eine Reihe) oder „spalten“ "
                "(die Spalten sind die Kategorien, je Zeile eine Reihe), nicht beides"
            )
        if not self.columns and not (self.categories and self.series):
            raise ValueError(
                "„aus_tabelle“ braucht „kategorien“ und „reihen“ oder „spalten“ (siehe Anleitung)"
            )
        return self


class ChartFile(Strict):
    type: str = Field(alias="typ")
    title: str = Field(alias="titel")
    source: str = Field("", alias="quelle")
    stacked: bool = Field(False, alias="gestapelt")
    unit: str = Field("", alias="einheit")
    decimals: Integer = Field(0, alias="nachkommastellen", ge=0, le=6)
    axis_label: str = Field("", alias="achse")
    alt: str = ""
    note: str = Field("", alias="hinweis")
    # the source as a footnote on the caption (numbered with the text's footnotes)
    source_footnote: bool = Field(False, alias="quelle_als_fussnote")
    categories: list[str] = Field(default_factory=list, alias="kategorien")
    series: list[SeriesSpec] = Field(default_factory=list, alias="reihen")
    from_table: FromTable | None = Field(None, alias="aus_tabelle")

    @model_validator(mode="after")
    def known_type(self) -> ChartFile:
        if self.type not in CHART_KINDS:
            known = ", ".join(CHART_KINDS)
            raise ValueError(f"Den Diagrammtyp „{self.type}“ gibt es nicht (möglich: {known})")
        return self

    @model_validator(mode="after")
    def footnote_needs_source(self) -> ChartFile:
        if self.source_footnote and not self.source:
            raise ValueError("„quelle_als_fussnote: true“ braucht eine „quelle“")
        return self

    @model_validator(mode="after")
    def inline_or_table(self) -> ChartFile:
        if self.from_table is None and not (self.categories and self.series):
            raise ValueError("Das Diagramm braucht „kategorien“ und „reihen“ oder „aus_tabelle“")
        if self.from_table is not None and (self.categories or self.series):
            raise ValueError("Entweder eigene Daten oder „aus_tabelle“, nicht beides")
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(
                    f"Reihe „{s.name}“ hat {len(s.values)} Werte, "
                    f"aber es gibt {len(self.categories)} Kategorien"
                )
        return self


class KeyFigure(Strict):
    id: str | None = Field(None, pattern=ID_PATTERN)  # for `[](#kennzahl:box/id)` in the text
    value: Number = Field(alias="wert")
    decimals: Integer = Field(0, alias="nachkommastellen", ge=0, le=6)
    unit: str = Field("", alias="einheit")
    text: str


class KeyFiguresFile(Strict):
    title: str = Field("", alias="titel")
    figures: list[KeyFigure] = Field(alias="werte", min_length=1)
