"""The print shop's colour profile: the programme's own ICC file or the project's default
(ISO Coated v2 300 % basICColor, FOGRA39-based, zlib licence; templates/icc/)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from aipgen.base.errors import Collector
from aipgen.base.paths import DesignFiles
from aipgen.content.load import read_yaml
from aipgen.content.model import PrintOptions

DEFAULT_PROFILE = ("icc", "ISOcoated_v2_300_bas.icc")  # below templates/
DEFAULT_CONDITION = "FOGRA39"
DEFAULT_CONDITION_INFO = "Coated FOGRA39 (ISO 12647-2:2004)"
REGISTRY = "http://www.color.org"
# the highest total ink in %: the default profile is made for 300 %; an own profile's printing
# condition, FOGRA39 and the like, allows 330 % unless the print shop says otherwise
DEFAULT_PROFILE_INK, CONDITION_INK = 300, 330


@dataclass(frozen=True)
class OutputCondition:
    """What the PDF/X output intent says about the printing condition."""

    identifier: str
    info: str
    registry: str = REGISTRY


def print_profile(root: Path, options: PrintOptions, design: DesignFiles) -> Path:
    return root / options.profile if options.profile else default_profile(design)


def default_profile(design: DesignFiles) -> Path:
    return design.find("templates", *DEFAULT_PROFILE)


def output_condition(options: PrintOptions) -> OutputCondition:
    if options.profile is None and options.condition is None:
        return OutputCondition(DEFAULT_CONDITION, DEFAULT_CONDITION_INFO)
    identifier = options.condition or "Custom"
    return OutputCondition(identifier, identifier)


def icc_problem(path: Path) -> str | None:
    """Why the file is not a CMYK output profile, or None if it is one."""
    with path.open("rb") as handle:
        header = handle.read(128)
    if len(header) < 128 or header[36:40] != b"acsp":
        return "ist kein ICC-Farbprofil"
    if header[16:20] != b"CMYK":
        return "ist kein CMYK-Profil (für den Druck wird ein CMYK-Ausgabeprofil gebraucht)"
    if header[12:16] != b"prtr":
        return "ist kein Ausgabeprofil für den Druck (Profilklasse „prtr“)"
    return None


def ink_limit(options: PrintOptions) -> int:
    """The highest total ink the print PDF may carry (druck: farbauftrag_max)."""
    if options.ink_limit is not None:
        return options.ink_limit
    return DEFAULT_PROFILE_INK if options.profile is None else CONDITION_INK


def stated_ink_limit(root: Path) -> int:
    """The highest total ink as the programme folder's programm.yaml states it, read without
    building (the conformance report checks a built print PDF against it); the profile's
    when programm.yaml cannot be read or its `druck` is not valid."""
    doc = read_yaml(root, "programm.yaml", Collector())
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    try:
        options = PrintOptions.model_validate(data.get("druck") or {})
    except ValidationError:
        options = PrintOptions()
    return ink_limit(options)
