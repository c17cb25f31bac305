"""Benchmark: build a programme N times; print per-stage and whole-process medians.

    .venv/bin/python tools/benchmark.py [PROGRAMM] [--runs 5]

Each run is a fresh process (`python -m aipgen.cli build`), so imports and the font and chart
caches start cold, as for a user; the per-stage times come from a JSON report of the same run.
"""

from __future__ import annotations

import argparse
import json
import os
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


def main() -> int:
    parser = argparse.ArgumentParser(description="aipgen-Benchmark (Mediane über mehrere Läufe)")
    parser.add_argument("programme", nargs="?", default="herne-2023")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data")
    args = parser.parse_args()
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
