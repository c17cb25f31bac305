"""Directive kinds are a registry: a kind aipgen does not have is added from test code alone.

`::zitat name` reads zitate/name.yaml (text, quelle), is checked by its own model and check,
computed by its own step and shown by a macro of the project's own templates
(tests/fixtures/zitat); the mini programme is built with it through the whole pipeline.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field

from aipgen.base.errors import Collector
from aipgen.base.paths import BUILT_IN, project_design
from aipgen.build.pipeline import build_programme
from aipgen.content import kinds
from aipgen.content.load import YamlDoc

from ..helpers import FIXTURES, edit

ZITAT = FIXTURES / "zitat"
CHAPTER = "kapitel/02-arbeitsmarkt.md"


class QuoteFile(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    text: str = Field(min_length=1)
    source: str = Field(alias="quelle")


@dataclass(frozen=True)
class Quote:
    name: str
    text: str
    source: str


def short_enough(quote: QuoteFile, doc: YamlDoc, errors: Collector) -> None:
    if len(quote.text) > 200:
        errors.add(*doc.where(("text",)), "Ein Zitat hat höchstens 200 Zeichen.")


def computed_quote(name: str, quote: QuoteFile, stage: Any) -> Quote:
    return Quote(name, f"„{quote.text}“", f"– {quote.source}")


@pytest.fixture
def zitat() -> Iterator[kinds.Kind]:
    """The kind `::zitat`, registered for one test."""
    kind = kinds.Kind(
        "zitat",
        "zitate",
        once=False,
        model=QuoteFile,
        macro="zitat.html.j2:zitat",
        check=short_enough,
        compute=computed_quote,
    )
    kinds.register(kind)
    try:
        yield kind
    finally:
        kinds.unregister("zitat")


def with_quote(mini: Path, name: str, directive: str = "zitat") -> Path:
    """The mini programme with zitate/NAME.yaml placed after the population figures."""
    (mini / "zitate").mkdir(exist_ok=True)
    shutil.copy(ZITAT / "zitate" / f"{name}.yaml", mini / "zitate")
    edit(
        mini / CHAPTER,
        "::kennzahlen bevoelkerung\n",
        f"::kennzahlen bevoelkerung\n\n::{directive} {name}\n",
    )
    return mini


def messages(result: Any) -> list[str]:
    return [str(problem) for problem in result.problems]


def test_a_registered_kind_is_built_into_the_web_page(zitat: kinds.Kind, mini: Path) -> None:
    result = build_programme(with_quote(mini, "spruch"), project_design(ZITAT), only=("web",))
    assert messages(result) == []
    page = result.files["index.html"].decode()
    assert '<figure class="zitat" id="zitat-spruch">' in page
    assert "Weiterbildung die andere Hälfte.“</p></blockquote>" in page
    assert "<figcaption>– Beirat des Jobcenters Musterstadt, 2023</figcaption>" in page


def test_unknown_directive_names_the_registered_kind(zitat: kinds.Kind, mini: Path) -> None:
    result = build_programme(with_quote(mini, "spruch", "zitt"), BUILT_IN, check_only=True)
    assert any(
        "Unbekannte Anweisung „::zitt“ (möglich sind ::tabelle, ::diagramm, ::kennzahlen, "
        "::zitat mit einem Namen)." in message
        for message in messages(result)
    ), messages(result)


def test_a_registered_kind_is_validated_by_its_model(zitat: kinds.Kind, mini: Path) -> None:
    result = build_programme(with_quote(mini, "ohne-quelle"), BUILT_IN, check_only=True)
    assert any(
        "mini/zitate/ohne-quelle.yaml" in m and "„quelle“ fehlt" in m for m in messages(result)
    ), messages(result)


def test_a_registered_kind_has_its_own_checks(zitat: kinds.Kind, mini: Path) -> None:
    edit(with_quote(mini, "spruch") / "zitate/spruch.yaml", "text: ", f"text: {'x' * 200}")
    result = build_programme(mini, BUILT_IN, check_only=True)
    assert any("Ein Zitat hat höchstens 200 Zeichen." in m for m in messages(result))


def test_without_registration_the_kind_is_unknown(mini: Path) -> None:
    assert "zitat" not in kinds.KINDS
    result = build_programme(with_quote(mini, "spruch"), BUILT_IN, check_only=True)
    assert any("Unbekannte Anweisung „::zitat“" in m for m in messages(result)), messages(result)
