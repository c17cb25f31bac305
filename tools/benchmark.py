"""Benchmark: build a programme N times; print per-stage and whole-process medians.

    .venv/bin/python tools/benchmark.py [PROGRAMM] [--runs 5]
    .venv/bin/python tools/benchmark.py [PROGRAMM] --vorschau [--runs 10]

Each run is a fresh process (`python -m aipgen.cli build`), so imports and the font and chart
caches start cold, as for a user; the per-stage times come from a JSON report of the same run.

With --vorschau: edit of one chapter → page refreshed. The preview (`aipgen vorschau`) runs in
this process on a copy of the programme; each run appends a paragraph to a chapter and times,
as the browser sees it, until the event stream announces a new version and the page fetched
then shows the paragraph; besides, how long the rebuild itself took.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("load", "validate", "compute", "charts", "web", "pdf", "druck")


def one_run(programme: str, data_dir: Path) -> tuple[float, dict[str, float]]:
    with tempfile.TemporaryDirectory() as out:
        report = Path(out) / "timings.json"
        env = {**os.environ, "AIPGEN_TIMINGS": str(report), "SOURCE_DATE_EPOCH": "0"}
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "aipgen.cli",
                "build",
                programme,
                "--data-dir",
                str(data_dir),
                "--output-dir",
                str(Path(out) / "output"),
            ],
            check=True,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        total = time.perf_counter() - start
        timings: dict[str, float] = json.loads(report.read_text())[programme]
    return total, timings


def preview_refresh(programme: str, data_dir: Path, runs: int) -> int:
    """Edit of one chapter → page refreshed, `runs` times, in a running preview."""
    from aipgen.preview import EVENTS, Preview

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / programme
        shutil.copytree(data_dir / programme, root)
        chapters = sorted((root / "kapitel").glob("*.md"))
        chapter = chapters[len(chapters) // 2]
        start = time.perf_counter()
        with Preview(root) as preview:
            port = preview.server.server_port
            events = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            events.request("GET", EVENTS)
            stream = events.getresponse()
            version = next_version(stream)  # the first build is done
            first = time.perf_counter() - start
            refreshed, rebuilt = [], []
            for run in range(runs):
                marker = f"M{run:03d}-{secrets.randbelow(10**6):06d}"
                began = time.perf_counter()
                with chapter.open("a", encoding="utf-8") as text:
                    text.write(f"\n\nMesspunkt {marker}.\n")
                while True:
                    version = next_version(stream, version)
                    if marker in fetch_page(port):
                        break
                refreshed.append(time.perf_counter() - began)
                rebuilt.append(preview.site.snapshot.seconds)
            events.close()
    print(f"{programme}: Vorschau, {runs}× ein Kapitel bearbeitet ({chapter.relative_to(root)})")
    print(f"  {'erster Bau':<20} {first * 1000:8.1f} ms  (mit Start und Diagrammen)")
    for label, values in (("Seite aktualisiert", refreshed), ("davon Neubau", rebuilt)):
        low, high = min(values) * 1000, max(values) * 1000
        median = statistics.median(values) * 1000
        print(f"  {label:<20} {median:8.1f} ms  Median (min {low:.1f} – max {high:.1f} ms)")
    return 0


def next_version(stream: http.client.HTTPResponse, shown: str = "") -> str:
    """The next version the preview's event stream announces that differs from `shown`."""
    while True:
        line = stream.readline().decode()
        if not line:
            raise RuntimeError("Der Ereignisstrom der Vorschau endete.")
        if line.startswith("data: ") and line[6:].strip() != shown:
            return line[6:].strip()


def fetch_page(port: int) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", "/")
        return connection.getresponse().read().decode("utf-8")
    finally:
        connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description="aipgen-Benchmark (Mediane über mehrere Läufe)")
    parser.add_argument("programme", nargs="?", default="herne-2023")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data")
    parser.add_argument(
        "--vorschau",
        action="store_true",
        help="Vorschau: Kapitel bearbeitet → Seite aktualisiert (statt ganzer Builds)",
    )
    args = parser.parse_args()
    if args.vorschau:
        return preview_refresh(args.programme, args.data_dir, args.runs)
    totals, stages = [], {s: [] for s in STAGES}  # type: dict[str, list[float]]
    for _ in range(args.runs):
        total, timings = one_run(args.programme, args.data_dir)
        totals.append(total)
        for stage in STAGES:
            stages[stage].append(timings.get(stage, 0.0))
    whole = statistics.median(totals)
    print(f"{args.programme}: {args.runs} Läufe, Mediane")
    for stage in STAGES:
        median = statistics.median(stages[stage])
        print(f"  {stage:<9} {median * 1000:8.1f} ms  {median / whole:6.1%}")
    inside = sum(statistics.median(v) for v in stages.values())
    print(f"  {'Stufen':<9} {inside * 1000:8.1f} ms  {inside / whole:6.1%}")
    print(f"  {'Prozess':<9} {whole * 1000:8.1f} ms  (Start, Importe, Schreiben eingeschlossen)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
