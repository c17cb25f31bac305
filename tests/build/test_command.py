"""The build as a library: `build` and `check` return a report and never exit; a call that
cannot be carried out raises `CallError` with its German message. The command line only
presents the report (tests/cli/test_cli.py checks what it prints and its exit codes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aipgen.base.paths import BUILT_IN
from aipgen.build.command import CallError, Report, Request, build, check, select

from ..helpers import Recorder, edit


def test_build_returns_its_report(data_dir: Path, tmp_path: Path) -> None:
    output, shown = tmp_path / "output", Recorder()
    request = Request(select(data_dir, ()), BUILT_IN, only=("web",), jobs=1)

    report = build(request, data_dir, output, shown)

    assert isinstance(report, Report) and report.ok
    assert [(line.name, line.status) for line in report.lines] == [("mini", "geschrieben")]
    assert shown.summed == report.lines
    assert f"mini: geschrieben nach {output / 'mini'}/" in shown.said
    assert (output / "mini/index.html").is_file()


def test_a_failed_programme_is_in_the_report_not_an_exit(data_dir: Path, tmp_path: Path) -> None:
    edit(data_dir / "mini/programm.yaml", "jahr: 2024", "jahr: zwanzig")
    shown = Recorder()

    report = check(Request(select(data_dir, ()), BUILT_IN, jobs=1, check_only=True), shown)

    assert not report.ok and report.failed == ["mini"]
    assert report.write_error is None
    assert any(text.startswith("Fehler: mini/programm.yaml:") for text in shown.said)


def test_a_call_that_cannot_be_carried_out_raises_a_german_call_error(data_dir: Path) -> None:
    with pytest.raises(CallError) as caught:
        select(data_dir, ("gibt-es-nicht",))
    assert str(caught.value) == "Das Programm „gibt-es-nicht“ gibt es nicht (vorhanden: mini)."
    inside = Request(select(data_dir, ()), BUILT_IN)
    with pytest.raises(CallError, match="Ausgabeordner"):
        build(inside, data_dir, data_dir / "mini" / "ausgabe", Recorder())
