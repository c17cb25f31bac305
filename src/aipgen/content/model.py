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
    logo: str | None = Field(
        None,
        description="Logo im Programmordner, z. B. bilder/logo.svg (SVG oder PNG); ohne Angabe "
        "der Name als Wortmarke.",
    )
    # None: the design's default colours (templates/common/farben.yaml, see layouts.py)
    primary: str | None = Field(
        None,
        alias="farbe_primaer",
        pattern=r"^#[0-9a-fA-F]{6}$",
        description="Hausfarbe für Überschriften und Tabellenköpfe (sRGB, „#rrggbb“).",
    )
    accent: str | None = Field(
        None,
        alias="farbe_akzent",
        pattern=r"^#[0-9a-fA-F]{6}$",
        description="Farbe für Hervorhebungen (sRGB, „#rrggbb“).",
    )
    # The brand's own CMYK values for print; without them the sRGB colour is converted.
    primary_cmyk: list[float] | None = Field(
        None,
        alias="farbe_primaer_cmyk",
        description="Hausfarbe für den Druck in CMYK-Prozent, z. B. [100, 60, 0, 10]; sonst "
        "umgerechnet.",
    )
    accent_cmyk: list[float] | None = Field(
        None,
        alias="farbe_akzent_cmyk",
        description="Akzentfarbe für den Druck in CMYK-Prozent; sonst umgerechnet.",
    )

    _cmyk = field_validator("primary_cmyk", "accent_cmyk")(check_cmyk)


class PrintOptions(Strict):
    """The print shop's wishes for the print PDF."""

    profile: str | None = Field(
        None, alias="profil", description="ICC-Profil der Druckerei im Programmordner."
    )
    condition: str | None = Field(
        None, alias="bedingung", description="Druckbedingung zum Profil, z. B. FOGRA51."
    )
    page_multiple: int | None = Field(
        None,
        alias="seitenzahl_vielfaches",
        ge=1,
        le=16,
        description="Leere Seiten bis zu einem Vielfachen dieser Zahl, z. B. 4 für "
        "Rückstichheftung.",
    )
    crop_marks: bool = Field(
        False,
        alias="schnittmarken",
        description="Schnittmarken setzen (Standard: keine, die Druckerei setzt eigene).",
    )
    # the highest total ink (C+M+Y+K in %) the print shop accepts; None: as the profile says
    # (printprofile.ink_limit)
    ink_limit: int | None = Field(
        None,
        alias="farbauftrag_max",
        ge=200,
        le=400,
        description="Höchster Gesamtfarbauftrag in % (200 bis 400); Standard: wie das Profil.",
    )


def check_outputs(value: list[str]) -> list[str]:
    unknown = [name for name in value if name not in FORMATS]
    if unknown:
        raise ValueError(f"Unbekannte Ausgabe „{unknown[0]}“ (möglich sind: {known_formats()})")
    return value


# Links editors write: web addresses (https), mail addresses, or paths relative to the page.
URL_PATTERN = r"^(https?://[^\s\"'<>]+|[A-Za-z0-9._~/#%-]+)$"
EMAIL_PATTERN = r"^[^@\s\"'<>]+@[^@\s\"'<>]+\.[A-Za-z]{2,}$"


class Contact(Strict):
    phone: str = Field("", alias="telefon", description="Telefonnummer.")
    email: str = Field(
        "", alias="email", pattern=f"{EMAIL_PATTERN}|^$", description="E-Mail-Adresse."
    )
    web: str = Field(
        "", alias="web", pattern=f"{URL_PATTERN}|^$", description="Internetadresse (https://…)."
    )

    def __bool__(self) -> bool:
        return bool(self.phone or self.email or self.web)


class Imprint(Strict):
    publisher: str = Field(
        alias="herausgeber", description="Herausgeber; jede Zeile wird übernommen."
    )
    note: str = Field(
        "", alias="hinweis", description="Hinweis im Impressum, z. B. zur verwendeten Sprache."
    )
    contact: Contact = Field(
        Contact(), alias="kontakt", description="Kontakt im Impressum: telefon, email, web."
    )


class Website(Strict):
    """What the website needs beyond the document: links into the jobcenter's own site, the
    site's own address, and the explanations BITV 2.0 § 4 asks for."""

    privacy: str = Field(
        alias="datenschutz",
        pattern=URL_PATTERN,
        description="Link auf die Datenschutzerklärung des Jobcenters, im Fuß jeder Seite.",
    )
    overview: str = Field(
        "../index.html",
        alias="uebersicht",
        pattern=URL_PATTERN,
        description="Wohin „Alle Programme“ führt (Standard: ../index.html).",
    )
    # where the programme's pages are published (https://…/): canonical links and sitemap.xml
    address: str | None = Field(
        None,
        alias="adresse",
        pattern=r"^https://[^\s\"'<>]+$",
        description="Wo die Seiten im Netz stehen (https://…/), für canonical-Links und "
        "sitemap.xml.",
    )
    # the page in Leichte Sprache (leichte-sprache.html); false: none, named as missing
    easy_language: bool = Field(
        True,
        alias="leichte_sprache",
        description="Seite in Leichter Sprache (Standard: true); false: keine, als fehlend "
        "genannt.",
    )
    # a video in German Sign Language explaining the pages; without it: named as missing
    sign_language: str | None = Field(
        None,
        alias="gebaerdensprache",
        pattern=URL_PATTERN,
        description="Video in Deutscher Gebärdensprache; ohne Angabe als fehlend genannt.",
    )


class FeedbackContact(Contact):
    """Who takes feedback on accessibility: e-mail or phone, and a postal address (else the
    imprint's)."""

    postal: str = Field(
        "",
        alias="anschrift",
        description="Anschrift für Rückmeldungen; Standard: die Zeilen des Herausgebers.",
    )


class Route(Strict):
    """An enforcement route the editor names (another Land, or a route of its own)."""

    name: str = Field(min_length=1, description="Name der Durchsetzungsstelle.")
    url: str = Field(pattern=URL_PATTERN, description="Link auf die Durchsetzungsstelle.")
    text: str = Field("", description="Was die Stelle tut, steht vor dem Link.")
    # the rules the statement measures the pages against, as its status sentence names them
    rules: str = Field(
        "§ 3 Absätze 1 bis 4 und § 4 der BITV 2.0",
        alias="regeln",
        min_length=1,
        description="Woran die Seiten gemessen werden (Standard: § 3 Absätze 1 bis 4 und § 4 der "
        "BITV 2.0).",
    )


class DeclaredGap(Strict):
    """A part of the pages that is not accessible, declared by the editor."""

    part: str = Field(alias="inhalt", min_length=1, description="Was nicht barrierefrei ist.")
    criteria: list[str] = Field(
        alias="kriterien",
        min_length=1,
        description="Die nicht erfüllten Anforderungen, z. B. WCAG 2.1 1.2.2.",
    )
    reason: Literal["unvereinbar", "unverhaeltnismaessig", "nicht_anwendbar"] = Field(
        alias="grund", description="Warum: unvereinbar, unverhaeltnismaessig oder nicht_anwendbar."
    )
    explanation: str = Field("", alias="begruendung", description="Begründung.")
    alternative: str = Field(
        alias="alternative", min_length=1, description="Die barrierefreie Alternative."
    )


class AccessibilityStatement(Strict):
    """The "Erklärung zur Barrierefreiheit" that BITV 2.0 § 7 requires for the website."""

    # None: the build date (never the programme's "stand")
    created: datetime.date | None = Field(
        None,
        alias="erstellt",
        description="Datum der Erstellung (JJJJ-MM-TT); Standard: Tag des Baus.",
    )
    reviewed: datetime.date | None = Field(
        None,
        alias="ueberprueft",
        description="Datum der letzten Überprüfung (JJJJ-MM-TT); Standard: Tag des Baus.",
    )
    # None: "teilweise" when anything is listed as not accessible, else "vollstaendig"
    status: Literal["vollstaendig", "teilweise", "nicht"] | None = Field(
        None,
        description="vollstaendig, teilweise oder nicht; Standard: teilweise, wenn etwas nicht "
        "barrierefrei ist.",
    )
    gaps: list[DeclaredGap] = Field(
        default_factory=list,
        alias="nicht_barrierefrei",
        description="Was außerdem nicht barrierefrei ist, je mit inhalt, kriterien, grund und "
        "alternative.",
    )
    method: str = Field(
        "Selbstbewertung",
        alias="bewertung",
        description="Wie die Erklärung entstanden ist (Standard: Selbstbewertung).",
    )
    manual_test: str = Field(
        "", alias="manuelle_pruefung", description="Was von Hand geprüft wurde."
    )
    contact: FeedbackContact = Field(
        alias="kontakt",
        description="Kontakt für Rückmeldungen: E-Mail oder Telefon, dazu die Anschrift.",
    )
    # the kind of body (templates/common/durchsetzung.yaml): its law decides the route
    body: str = Field(
        "gemeinsame_einrichtung",
        alias="traeger",
        description="Art des Trägers: gemeinsame_einrichtung (Bundesrecht) oder kommunal "
        "(Landesrecht).",
    )
    state: str = Field(
        "",
        alias="land",
        description="Bei traeger: kommunal das Land, dessen Stelle die Erklärung nennt.",
    )
    route: Route | None = Field(
        None,
        alias="durchsetzung",
        description="Eine andere Durchsetzungsstelle: name, url, text, regeln.",
    )

    @model_validator(mode="after")
    def reachable(self) -> AccessibilityStatement:
        if not (self.contact.email or self.contact.phone):
            raise ValueError(
                "Für Rückmeldungen zur Barrierefreiheit braucht „kontakt“ eine E-Mail-Adresse "
                "oder Telefonnummer"
            )
        return self


class Signature(Strict):
    greeting: str = Field(
        "Mit freundlichen Grüßen",
        alias="gruss",
        description="Gruß über den Namen (Standard: Mit freundlichen Grüßen).",
    )
    function: str = Field(
        "", alias="funktion", description="Funktion unter den Namen, z. B. Geschäftsführung."
    )
    names: list[str] = Field(
        alias="namen", min_length=1, description="Die Namen der Unterzeichnenden."
    )


class CoverPhoto(Strict):
    """A photo on the cover, with its credit (shown on the cover and in the imprint)."""

    file: str = Field(
        alias="datei", description="Foto im Programmordner (JPEG oder PNG, für den Druck 300 dpi)."
    )
    alt: str = Field(alias="alt", min_length=1, description="Was auf dem Bild zu sehen ist.")
    credit: str = Field(
        alias="nachweis", min_length=1, description="Bildnachweis, steht am Bild und im Impressum."
    )


class ChapterRef(Strict):
    file: str = Field(
        alias="datei", description="Markdown-Datei des Kapitels, z. B. kapitel/01-vorwort.md."
    )
    signature: Signature | None = Field(
        None, alias="unterschrift", description="Gruß und Unterschriften unter dem Kapitel."
    )
    # an appendix chapter: numbered "Anhang I", "Anhang II" … apart from the chapters
    appendix: bool = Field(
        False, alias="anhang", description="Anhang mit eigener Nummerierung (Anhang I, II …)."
    )


class AppendixStyle(Strict):
    """How appendix chapters are called and counted: "Anhang I" (default) or "Anlage 1"."""

    label: str = Field(
        "Anhang",
        alias="bezeichnung",
        min_length=1,
        description="Wie ein Anhang heißt (Standard: Anhang), z. B. Anlage.",
    )
    numbers: Literal["roemisch", "arabisch", "buchstaben"] = Field(
        "roemisch",
        alias="nummern",
        description="Zählung: roemisch (I, II), arabisch (1, 2) oder buchstaben (a, b).",
    )


PROGRAMME_NAME = r"^[a-z0-9][a-z0-9-]*$"  # a programme folder's name (aipgen neu)


class PreviousYear(Strict):
    """Last year's programme to compare with: figures not updated, the change report."""

    programme: str = Field(
        alias="programm",
        pattern=PROGRAMME_NAME,
        description="Ordnername des Vorjahresprogramms, z. B. musterstadt-2026.",
    )
    # figures that really stayed the same: "tabelle", "tabelle/zeile" or "tabelle/zeile/spalte";
    # text confirmed as it is (staletext): "datei" or "datei/fund", e.g. "kapitel/03-ziele.md/2023"
    confirmed: list[str] = Field(
        default_factory=list,
        alias="bestaetigt",
        description="Was wirklich gleich geblieben ist: tabelle/zeile/spalte oder datei/fund.",
    )
    # a change by more than this share (in %) is listed as implausible in the change report
    threshold: Number = Field(
        50.0,
        alias="schwelle",
        gt=0,
        description="Änderungen über so viel Prozent gelten als auffällig (Standard: 50).",
    )

    @model_validator(mode="before")
    @classmethod
    def shorthand(cls, value: Any) -> Any:
        """`vorjahr: musterstadt-2026` is short for `vorjahr: {programm: musterstadt-2026}`."""
        return {"programm": value} if isinstance(value, str) else value


def also_shorthand(schema: dict[str, Any], pattern: str) -> None:
    """The JSON Schema of a field whose model also takes a name alone (`vorjahr: name`)."""
    forms = schema["anyOf"]
    forms.insert(1, {"type": "string", "pattern": pattern})


# Where a chapter begins in the PDFs (layout.yaml and programm.yaml: kapitelanfang).
CHAPTER_STARTS = Literal["automatisch", "neue_seite", "rechte_seite", "fortlaufend"]


class ProgrammeFile(Strict):
    jobcenter: str = Field(
        description="Name des Jobcenters, wie er im Titel und im Impressum erscheint."
    )
    year: Integer = Field(
        alias="jahr", ge=2000, le=2100, description="Jahr, für das das Programm gilt (eine Zahl)."
    )
    title: str = Field(
        alias="titel",
        description="Titel auf der Titelseite, im Browser-Tab und in den PDF-Eigenschaften.",
    )
    subtitle: str = Field("", alias="untertitel", description="Untertitel unter dem Titel.")
    layout: str = Field(
        "bericht",
        description="Gestaltung: bericht, broschuere oder handout (ein Ordner in templates/).",
    )
    theme: Theme = Field(
        Theme(),
        description="Erscheinungsbild: logo, farbe_primaer, farbe_akzent, Druckfarben in CMYK.",
    )
    slogan: str = Field("", description="Zeilen für die Titelseite, jede Zeile eine Zeile.")
    cover_photo: CoverPhoto | None = Field(
        None, alias="titelbild", description="Foto auf der Titelseite, mit alt und nachweis."
    )
    # None: as the layout says (layout.yaml, kapitelnummern, kapitelanfang, verzeichnis_ab)
    chapter_numbers: bool | None = Field(
        None, alias="kapitelnummern", description="Kapitel nummerieren; ohne Angabe wie das Layout."
    )
    chapter_start: CHAPTER_STARTS | None = Field(
        None,
        alias="kapitelanfang",
        description="Wo ein Kapitel im PDF beginnt; ohne Angabe wie das Layout.",
    )
    list_minimum: int | None = Field(
        None,
        alias="verzeichnis_ab",
        ge=1,
        description="Ein Verzeichnis der Tabellen und Abbildungen erst ab so vielen Einträgen.",
    )
    date: datetime.date | None = Field(
        None,
        alias="stand",
        description="Datum der Veröffentlichung (JJJJ-MM-TT), auf Titelseite, Impressum und "
        "Rückseite.",
    )
    imprint: Imprint = Field(
        alias="impressum", description="Impressum: herausgeber, kontakt, hinweis."
    )
    appendix: AppendixStyle = Field(
        AppendixStyle(),
        alias="anhang",
        description="Wie Anhänge heißen und gezählt werden: bezeichnung, nummern.",
    )
    chapters: list[ChapterRef] = Field(
        alias="kapitel", min_length=1, description="Die Kapitel in ihrer Reihenfolge, je mit datei."
    )
    outputs: list[str] = Field(
        default_factory=defaults,
        alias="ausgaben",
        description="Was gebaut wird: web, pdf, druck, word (Standard: web, pdf, druck).",
    )
    print_options: PrintOptions = Field(
        PrintOptions(), alias="druck", description="Wünsche der Druckerei für das Druck-PDF."
    )
    website: Website | None = Field(
        None, alias="web", description="Pflicht für die Website: datenschutz und weitere Links."
    )
    accessibility: AccessibilityStatement | None = Field(
        None,
        alias="barrierefreiheit",
        description="Pflicht für die Website: die Erklärung zur Barrierefreiheit (BITV 2.0 § 7).",
    )
    previous: PreviousYear | None = Field(
        None,
        alias="vorjahr",
        description="Programm des Vorjahres zum Vergleich, z. B. musterstadt-2026.",
        json_schema_extra=lambda schema: also_shorthand(schema, PROGRAMME_NAME),
    )
    # the licence of the open data beside the website (content/licences.py)
    licence: str = Field(
        DEFAULT_LICENCE,
        alias="lizenz",
        description=f"Lizenz der offenen Daten (Standard: {DEFAULT_LICENCE}).",
    )
    # key figures for the overview's comparison of all programmes (content/comparison.py)
    comparison: dict[str, Number | str] = Field(
        default_factory=dict,
        alias="vergleich",
        description="Kennzahlen für den Vergleich auf der Übersicht: je eine Zahl oder ein "
        "Verweis wie wert:tabelle/zeile/spalte.",
    )

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
    id: str = Field(
        pattern=ID_PATTERN,
        description="Name der Spalte (Kleinbuchstaben, Ziffern, _), wird in Formeln benutzt.",
    )
    title: str = Field("", alias="titel", description="Spaltenkopf.")
    groups: list[str] = Field(
        default_factory=list,
        alias="gruppe",
        description="Übergeordnete Spaltenköpfe, z. B. [Veränderung gegenüber, Vormonat].",
    )
    type: Literal["text", "zahl", "liste", "trend", "marke", "inhalt"] = Field(
        "zahl", alias="typ", description="text, zahl (Standard), liste, trend, marke oder inhalt."
    )
    decimals: Integer = Field(
        0,
        alias="nachkommastellen",
        ge=0,
        le=6,
        description="Anzahl der Nachkommastellen (Standard: 0).",
    )
    unit: str = Field("", alias="einheit", description="Zeichen hinter der Zahl, z. B. % oder €.")
    signed: bool = Field(
        False, alias="vorzeichen", description="true zeigt ein Plus vor positiven Werten."
    )
    formula: str | None = Field(
        None,
        alias="formel",
        description="Berechnete Spalte, z. B. aktuell - vorjahr oder anteil(elb).",
    )
    basis: str | None = Field(
        None, description="Bei typ: trend die Spalte mit der Veränderung in %."
    )
    corridor: Number = Field(
        1.0,
        alias="korridor",
        gt=0,
        description="Bei typ: trend die Breite des Korridors (Standard: 1,0).",
    )
    width: Integer | None = Field(
        None,
        alias="breite",
        ge=5,
        le=95,
        description="Anteil der Spalte an der Tabellenbreite in Prozent (5 bis 95).",
    )

    @model_validator(mode="after")
    def trend_needs_basis(self) -> Column:
        if self.type == "trend" and not self.basis:
            raise ValueError("Eine Trendspalte braucht „basis“ (Spalte mit der Veränderung in %)")
        return self


class Row(Strict):
    id: str | None = Field(
        None,
        pattern=ID_PATTERN,
        description="Name der Zeile (Kleinbuchstaben, Ziffern, _) für Verweise und Diagramme.",
    )
    values: list[Any] | None = Field(
        None,
        alias="werte",
        description="Datenzeile: eine Angabe je Spalte, in der Reihenfolge der Spalten.",
    )
    group: str | None = Field(
        None, alias="gruppe", description="Gruppenzeile: Zwischenüberschrift über die ganze Breite."
    )
    subtotal: str | None = Field(
        None,
        alias="summe",
        description="Zwischensumme der Datenzeilen ihrer Gruppe, mit diesem Text.",
    )
    total: str | None = Field(
        None,
        alias="gesamt",
        description="Gesamtsumme der Datenzeilen der Tabelle, mit diesem Text.",
    )
    below: bool = Field(
        False, alias="darunter", description="Eingerückte „darunter“-Zeile, zählt in keiner Summe."
    )
    emphasis: bool = Field(False, alias="hervorgehoben", description="Fett hervorgehoben.")
    reference: bool = Field(False, alias="bezug", description="Bezugszeile für anteil(…).")
    tolerance: dict[str, Annotated[Number, Field(ge=0)]] = Field(
        default_factory=dict,
        alias="toleranz",
        description="Erlaubte Abweichung einer ungefähr angegebenen Summe je Spalte, "
        "z. B. {budget: 50000}.",
    )
    # columns whose stated figure is printed although it differs from the computed one (the
    # source states it so); the difference goes to the editor, not into the document
    acknowledged: list[str] = Field(
        default_factory=list,
        alias="abweichung_bestaetigt",
        description="Spalten, deren angegebene Zahl gedruckt wird, obwohl die Rechnung abweicht.",
    )
    decimals: Integer | None = Field(
        None,
        alias="nachkommastellen",
        ge=0,
        le=6,
        description="Andere Nachkommastellen für die Zahlenspalten ohne Formel in dieser Zeile.",
    )
    # columns whose cell continues the cell above (one cell spanning rows)
    merge_up: list[str] = Field(
        default_factory=list,
        alias="zeilen_verbinden",
        description="Spalten, deren Zelle die Zelle der Zeile darüber fortsetzt.",
    )
    # a group heading that carries the sum of the data rows below it, up to the next one
    group_total: str | None = Field(
        None,
        alias="gruppensumme",
        description="Gruppenzeile, die die Summe der Datenzeilen unter ihr trägt, mit diesem Text.",
    )
    # shown in parentheses "for information", counted in no sum
    informational: bool = Field(
        False,
        alias="nachrichtlich",
        description="Nachrichtlich: Zahlen in Klammern, zählen in keiner Summe.",
    )
    # a number shown before the row's label ("1.", "1.4"), checked against its group's number
    number: str | None = Field(
        None,
        alias="nummer",
        pattern=ROW_NUMBER_PATTERN,
        description="Nummer vor der Beschriftung, z. B. „1.“ oder „1.4“.",
    )
    # a row computed column by column from other rows (by id), e.g. a change to the column before
    formula: str | None = Field(
        None,
        alias="formel",
        description="Zeile, die Spalte für Spalte aus anderen Zeilen (nach id) gerechnet wird.",
    )
    unit: str | None = Field(
        None, alias="einheit", description="Andere Einheit in den Zahlenzellen dieser Zeile."
    )
    signed: bool | None = Field(
        None, alias="vorzeichen", description="Plus vor positiven Werten in dieser Zeile."
    )

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
    title: str = Field(alias="titel", description="Überschrift nach „Tabelle N –“.")
    source: str = Field(
        "", alias="quelle", description="Erscheint als „Quelle: …“ unter der Tabelle."
    )
    notes: list[str] = Field(
        default_factory=list,
        alias="anmerkungen",
        description="Anmerkungen, Zeilen unter der Tabelle.",
    )
    columns: list[Column] = Field(
        alias="spalten", min_length=1, description="Die Spalten, je mit id, titel und typ."
    )
    rows: list[Row] = Field(
        default_factory=list,
        alias="zeilen",
        description="Die Zeilen: werte, gruppe, summe, gesamt oder gruppensumme.",
    )
    data: str | None = Field(
        None, alias="daten", description="CSV-Datei mit den Zeilen statt zeilen (große Tabellen)."
    )
    # numbering of the group rows (gruppe, gruppensumme): "I.", "II." … (see numbering.py)
    group_numbers: Literal["roemisch", "arabisch", "buchstaben"] | None = Field(
        None,
        alias="gruppen_nummern",
        description="Nummern der Gruppenzeilen: roemisch (I.), arabisch (1.) oder buchstaben (a)).",
    )
    # the symbols of the columns with typ: marke and what each means (legend under the table)
    marks: dict[str, str] = Field(
        default_factory=dict,
        alias="marken",
        description="Die Zeichen der Spalten mit typ: marke und was sie bedeuten (Legende).",
    )

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
        default_factory=list,
        alias="zeichen",
        description="Eigene Zeichen für „keine Zahl“, z. B. [n.B.].",
    )

    @model_validator(mode="after")
    def rows_or_data(self) -> TableFile:
        if bool(self.rows) == bool(self.data):
            raise ValueError("Die Tabelle braucht entweder „zeilen“ oder „daten“ (CSV-Datei)")
        return self


class SeriesSpec(Strict):
    name: str = Field(description="Name der Reihe (Legende).")
    values: list[Number | None] = Field(
        alias="werte", min_length=1, description="Je Kategorie ein Wert (null: keiner)."
    )
    estimated: bool | list[bool] = Field(
        False,
        alias="geschaetzt",
        description="Werte als geschätzt kennzeichnen: true für alle oder je Wert.",
    )


class FromTable(Strict):
    table: str = Field(alias="tabelle", description="Name der Tabelle (Datei in tabellen/).")
    categories: str = Field("", alias="kategorien", description="Spalte mit den Beschriftungen.")
    series: list[str] = Field(
        default_factory=list,
        alias="reihen",
        description="Zahlenspalten, je eine Reihe (Name: Spaltentitel).",
    )
    rows: list[str] = Field(
        default_factory=list,
        alias="zeilen",
        description="Zeilen-ids aus der Tabelle; Standard: alle Datenzeilen.",
    )
    # the other way round: these columns are the categories (e.g. years), each row a series
    columns: list[str] = Field(
        default_factory=list,
        alias="spalten",
        description="Umgekehrt: diese Spalten sind die Kategorien, je Zeile eine Reihe.",
    )

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
    type: str = Field(
        alias="typ",
        description="Art des Diagramms: saeulen, balken (waagerecht), linie, kreis oder ring.",
        json_schema_extra=lambda schema: schema.update(enum=list(CHART_KINDS)),
    )
    title: str = Field(alias="titel", description="Bildunterschrift nach „Abb. N –“.")
    source: str = Field(
        "", alias="quelle", description="Erscheint als „Quelle: …“ unter dem Diagramm."
    )
    stacked: bool = Field(
        False,
        alias="gestapelt",
        description="Bei saeulen und balken mit mehreren Reihen: gestapelt.",
    )
    unit: str = Field(
        "", alias="einheit", description="Einheit für Achse und Beschriftung, z. B. %."
    )
    decimals: Integer = Field(
        0,
        alias="nachkommastellen",
        ge=0,
        le=6,
        description="Nachkommastellen für Achse und Beschriftung.",
    )
    axis_label: str = Field("", alias="achse", description="Achsentitel.")
    alt: str = Field("", description="Alternativtext; ohne Angabe aus den Daten erzeugt.")
    note: str = Field("", alias="hinweis", description="Text unter dem Diagramm.")
    # the source as a footnote on the caption (numbered with the text's footnotes)
    source_footnote: bool = Field(
        False,
        alias="quelle_als_fussnote",
        description="true: die Quelle steht als Fußnote an der Bildunterschrift.",
    )
    categories: list[str] = Field(
        default_factory=list, alias="kategorien", description="Eigene Daten: die Beschriftungen."
    )
    series: list[SeriesSpec] = Field(
        default_factory=list,
        alias="reihen",
        description="Eigene Daten: je Reihe name, werte, optional geschaetzt.",
    )
    from_table: FromTable | None = Field(
        None,
        alias="aus_tabelle",
        description="Statt eigener Daten: tabelle, kategorien, reihen, optional zeilen.",
    )

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
    id: str | None = Field(
        None, pattern=ID_PATTERN, description="Name für Verweise im Text: [](#kennzahl:kasten/id)."
    )
    value: Number = Field(alias="wert", description="Die Zahl.")
    decimals: Integer = Field(
        0, alias="nachkommastellen", ge=0, le=6, description="Nachkommastellen (Standard: 0)."
    )
    unit: str = Field("", alias="einheit", description="Zeichen hinter der Zahl, z. B. %.")
    text: str = Field(description="Was die Zahl bedeutet.")


class KeyFiguresFile(Strict):
    title: str = Field("", alias="titel", description="Überschrift des Kastens.")
    figures: list[KeyFigure] = Field(
        alias="werte", min_length=1, description="Die Kennzahlen, je mit wert und text."
    )
