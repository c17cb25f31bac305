"""Last year's folder, written for an earlier aipgen, still builds: keys this version names
otherwise or no longer needs are read the current way and named in warnings with their line."""

from __future__ import annotations

import shutil
from pathlib import Path

from aipgen.content.load import YamlDoc
from aipgen.content.upgrade import upgraded

from ..helpers import FIXTURES, run

# data/herne-2023 exactly as aipgen 0.2.2 shipped it and its guide described programm.yaml
OLD = FIXTURES / "aipgen-0.2.2" / "herne-2023"


def test_retired_keys_are_read_the_current_way() -> None:
    doc = YamlDoc(
        "p/programm.yaml",
        {
            "barrierefreiheit": {
                "stand": "2022-12-15",
                "schlichtungsstelle": {"name": "x"},
                "nicht_barrierefrei": ["Ein Satz.", {"inhalt": "Video"}],
            }
        },
        {
            ("barrierefreiheit", "stand"): 3,
            ("barrierefreiheit", "schlichtungsstelle"): 4,
            ("barrierefreiheit", "nicht_barrierefrei", 0): 7,
            ("barrierefreiheit", "nicht_barrierefrei", 1): 8,
            ("barrierefreiheit", "nicht_barrierefrei", 1, "inhalt"): 8,
        },
    )
    new, found = upgraded(doc)
    assert new.data == {
        "barrierefreiheit": {"erstellt": "2022-12-15", "nicht_barrierefrei": [{"inhalt": "Video"}]}
    }
    assert [doc.line(path) for path, _ in found] == [3, 4, 7]
    assert "„erstellt: 2022-12-15“" in found[0][1] and "„Ein Satz.“" in found[2][1]
    # the entry kept is found at its line under its new position
    assert new.line(("barrierefreiheit", "nicht_barrierefrei", 0, "inhalt")) == 8
    assert doc.data["barrierefreiheit"]["stand"] == "2022-12-15"  # the file read stays as read


def test_last_years_folder_for_an_earlier_version_builds(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(OLD, data_dir / "herne-2023")
    code, out, err = run("check", "--data-dir", str(data_dir))
    assert code == 0, err
    warned = [line for line in err.splitlines() if line.startswith("Warnung: ")]
    assert sorted(line.split(": ")[1] for line in warned) == [
        # a ring short of its table's whole: 0.2.2 drew a rest, this version draws bars
        "herne-2023/diagramme/integrationsprognose.yaml:5",
        "herne-2023/programm.yaml:27",
        "herne-2023/programm.yaml:31",
        "herne-2023/programm.yaml:32",
    ]
    assert run("check", "--strict", "--data-dir", str(data_dir))[0] == 1
    output = tmp_path / "output"
    code, _, err = run(
        "build", "--nur", "web", "--data-dir", str(data_dir), "--output-dir", str(output)
    )
    assert code == 0, err
    statement = (output / "herne-2023" / "barrierefreiheit.html").read_text(encoding="utf-8")
    assert "15.12.2022" in statement  # the old "stand" is the statement's creation date
