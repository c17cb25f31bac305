"""The key figures programmes can be compared on, side by side on the overview of all
programmes (programm.yaml, `vergleich`): one catalogue, so that every jobcenter's figure of
the same name means the same thing. A figure is given as a number, or – so that it is the
figure the programme prints – as a reference to a table cell or key figure, written as in the
text without brackets: `wert:tabelle/zeile/spalte`, `kennzahl:kasten/nr`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeyFigure:
    title: str  # German, the row of the comparison table
    unit: str = ""
    decimals: int = 0


# by the key editors write under `vergleich`, in the order the overview shows them
KEY_FIGURES = {
    "elb": KeyFigure("Erwerbsfähige Leistungsberechtigte"),
    "bedarfsgemeinschaften": KeyFigure("Bedarfsgemeinschaften"),
    "arbeitslose": KeyFigure("Arbeitslose im SGB II"),
    "langzeitleistungsbeziehende": KeyFigure("Langzeitleistungsbeziehende"),
    "sgb2_quote": KeyFigure("SGB-II-Quote", "%", 1),
    "arbeitslosenquote": KeyFigure("Arbeitslosenquote im SGB II", "%", 1),
    "integrationsquote": KeyFigure("Integrationsquote", "%", 1),
    "eingliederungsmittel": KeyFigure("Eingliederungsmittel (Budget)", "€"),
}


REFERENCE_KINDS = ("wert", "kennzahl")


def check_key_figures(value: dict[str, float | str]) -> dict[str, float | str]:
    unknown = [key for key in value if key not in KEY_FIGURES]
    if unknown:
        raise ValueError(
            f"Unbekannte Kennzahl „{unknown[0]}“ (möglich sind: {', '.join(KEY_FIGURES)})"
        )
    for key, given in value.items():
        if isinstance(given, str) and given.partition(":")[0] not in REFERENCE_KINDS:
            raise ValueError(
                f"„{key}: {given}“: eine Zahl oder ein Verweis wie „wert:tabelle/zeile/spalte“ "
                "oder „kennzahl:kasten/nr“"
            )
    return value
