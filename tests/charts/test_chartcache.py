"""Drawn charts kept on disk: a chart is drawn once and read back in the next process; a changed
chart input redraws that chart only; a corrupt entry is drawn anew."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from aipgen.base import paths
from aipgen.base.paths import BUILT_IN
from aipgen.charts import draw as chartdraw
from aipgen.charts import svg as charts

from ..helpers import CHART_DATA, FIXTURES, aipgen, edit


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "cache"
    paths.use_cache(folder)
    chartdraw.render.cache_clear()
    yield folder
    paths.use_cache(None)
    chartdraw.render.cache_clear()


def entries(cache: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (cache / "diagramme").glob("*.svg")}


def test_a_chart_drawn_once_is_read_back_not_drawn(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    svg = charts.render_svg(CHART_DATA, BUILT_IN)
    assert len(entries(cache)) == 1
    chartdraw.render.cache_clear()  # as in the next process

    def no_drawing(*args: object) -> None:
        raise AssertionError("drawn again")

    monkeypatch.setattr(chartdraw, "draw", no_drawing)
    assert charts.render_svg(CHART_DATA, BUILT_IN) == svg
    assert (
        charts.render_svg(CHART_DATA, BUILT_IN, "print") != svg
    )  # the print colours from the same entry


@pytest.mark.parametrize("damage", ["", "0" * 64 + "\n<svg/>", "kein Prüfwert"])
def test_a_corrupt_entry_is_drawn_anew(cache: Path, damage: str) -> None:
    svg = charts.render_svg(CHART_DATA, BUILT_IN)
    (entry,) = (cache / "diagramme").glob("*.svg")
    entry.write_text(damage, encoding="utf-8")
    chartdraw.render.cache_clear()
    assert charts.render_svg(CHART_DATA, BUILT_IN) == svg
    assert entry.read_text(encoding="utf-8").endswith(svg)  # stored whole again


def test_other_data_is_another_entry(cache: Path) -> None:
    charts.render_svg(CHART_DATA, BUILT_IN)
    charts.render_svg(replace(CHART_DATA, title="Andere"), BUILT_IN)
    charts.render_svg(CHART_DATA, BUILT_IN, narrow=True)
    assert len(entries(cache)) == 3


def test_a_changed_chart_input_redraws_that_chart_only(tmp_path: Path) -> None:
    """Two charts; the table of one changes: its two drawings (page and phone) are new, the
    other chart's entries are not touched."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "data" / "mini")
    second = tmp_path / "data/mini/diagramme/plaetze.yaml"
    second.write_text(
        "typ: saeulen\ntitel: Plätze nach Instrument\nquelle: eigene Planung\n"
        "aus_tabelle:\n  tabelle: budget\n  kategorien: instrument\n  reihen: [plaetze]\n",
        encoding="utf-8",
    )
    edit(tmp_path / "data/mini/kapitel/02-arbeitsmarkt.md", "::tabelle budget\n",
         "::tabelle budget\n\n::diagramm plaetze\n")  # fmt: skip
    built = aipgen(tmp_path, "build", "--nur", "web")
    assert built.returncode == 0, built.stderr
    cache = tmp_path / paths.CACHE_FOLDER
    before = entries(cache)
    assert len(before) == 4  # two charts, each for the page and for phones
    edit(tmp_path / "data/mini/diagramme/budget.yaml", "Budget nach Instrument", "Budget 2025")
    again = aipgen(tmp_path, "build", "--nur", "web")
    assert again.returncode == 0, again.stderr
    after = entries(cache)
    assert len(after) == 6 and len(set(after) - set(before)) == 2
    assert all(after[name] == stamp for name, stamp in before.items())  # none rewritten


def test_a_build_whose_charts_are_cached_does_not_import_matplotlib(tmp_path: Path) -> None:
    """An edited chapter: the page is built anew, its charts come from the cache, and
    matplotlib (a second of start-up) is never imported."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "data" / "mini")
    assert aipgen(tmp_path, "build", "--nur", "web").returncode == 0
    edit(tmp_path / "data/mini/kapitel/02-arbeitsmarkt.md", "::tabelle budget\n",
         "Ein neuer Satz.\n\n::tabelle budget\n")  # fmt: skip
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('matplotlib' in sys.modules, file=sys.stderr))\n"
        "from aipgen.cli import entry\n"
        "sys.argv = ['aipgen', 'build', '--nur', 'web']\n"
        "entry.run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "Ein neuer " in (tmp_path / "output/mini/index.html").read_text(encoding="utf-8")
    assert done.stderr.strip().splitlines()[-1] == "False"
