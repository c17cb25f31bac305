"""The writer replaces a programme's output in one step and never leaves half-written files."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest

from aipgen.base.scratch import write_file
from aipgen.build.write import write_tree


def test_write_tree_replaces_whole_folder(tmp_path: Path) -> None:
    write_tree(tmp_path, "p", {"index.html": b"alt", "alt.txt": b"x"})
    write_tree(tmp_path, "p", {"index.html": b"neu", "assets/a.css": b"c"})
    assert (tmp_path / "p/index.html").read_bytes() == b"neu"
    assert not (tmp_path / "p/alt.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p"]


def test_failed_write_keeps_last_good_output(tmp_path: Path) -> None:
    write_tree(tmp_path, "p", {"index.html": b"gut"})
    with (
        mock.patch.object(Path, "write_bytes", side_effect=OSError("Platte voll")),
        pytest.raises(OSError),
    ):
        write_tree(tmp_path, "p", {"index.html": b"kaputt"})
    assert (tmp_path / "p/index.html").read_bytes() == b"gut"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p"]


def test_write_file_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    write_file(target, b"eins")
    with mock.patch("os.replace", side_effect=OSError("weg")), pytest.raises(OSError):
        write_file(target, b"zwei")
    assert target.read_bytes() == b"eins"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]
