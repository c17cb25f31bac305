"""Builds of one project at the same time must not spoil each other's records or outputs."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from aipgen import buildcache


def test_two_writers_of_one_record_at_once_do_not_take_each_others_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both have written their whole record before either renames it into place: each under a
    name of its own, so both renames succeed and the record is one of the two, whole."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    (output / "a").mkdir(parents=True)
    (output / "a" / "index.html").write_text("<html></html>")
    both = threading.Barrier(2, timeout=30)
    rename = os.replace

    def meeting(source: str | Path, target: str | Path) -> None:
        both.wait()
        rename(source, target)

    monkeypatch.setattr(os, "replace", meeting)
    failures: list[BaseException] = []

    def writer(warning: str) -> None:
        try:
            buildcache.remember(cache, output, "a", "key", ["index.html"], [warning])
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in ("eins", "zwei")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    record = buildcache.read_record(buildcache.record_file(cache, output, "a"))
    assert record is not None and record.warnings in (["eins"], ["zwei"])
    assert [p.name for p in buildcache.record_file(cache, output, "a").parent.iterdir()] == [
        "a.json"
    ]
