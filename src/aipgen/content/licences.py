"""The licences a programme's open data may be published under (programm.yaml, `lizenz`),
with what the Frictionless data package says of each."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_LICENCE = "dl-de/by-2-0"


@dataclass(frozen=True)
class Licence:
    name: str  # the SPDX-like identifier the data package names
    title: str  # German, as the licence calls itself
    path: str  # where its text is published

    def package(self) -> dict[str, str]:
        return {"name": self.name, "title": self.title, "path": self.path}


# by the key editors write in programm.yaml
LICENCES = {
    "dl-de/by-2-0": Licence(
        "dl-de-by-2.0",
        "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "https://www.govdata.de/dl-de/by-2-0",
    ),
    "dl-de/zero-2-0": Licence(
        "dl-de-zero-2.0",
        "Datenlizenz Deutschland – Zero – Version 2.0",
        "https://www.govdata.de/dl-de/zero-2-0",
    ),
    "cc-by-4.0": Licence(
        "CC-BY-4.0",
        "Creative Commons Namensnennung 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/deed.de",
    ),
    "cc0-1.0": Licence(
        "CC0-1.0",
        "Creative Commons Zero 1.0 Universell",
        "https://creativecommons.org/publicdomain/zero/1.0/deed.de",
    ),
}


def check_licence(value: str) -> str:
    if value not in LICENCES:
        raise ValueError(f"Unbekannte Lizenz „{value}“ (möglich sind: {', '.join(LICENCES)})")
    return value
