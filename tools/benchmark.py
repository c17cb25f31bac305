"""Benchmark aipgen as a user meets it: every build is a fresh process
(`python -m aipgen.cli.main`).

    .venv/bin/python tools/benchmark.py [PROGRAMM] [--runs 5]                 (as --kalt)
    .venv/bin/python tools/benchmark.py [PROGRAMM] --alle [--runs 3] [--stapel 8]
    .venv/bin/python tools/benchmark.py [PROGRAMM] --vorschau [--runs 10]

Modes (several may be given; every figure is the median, with min–max, over --runs):

--kalt         cold build, all formats: fresh process, fresh project folder (so no build
               records and no drawn charts in .aipgen-cache/), fresh output folder and
               --alles-neu, so no cache of the programme ever hits (what depends on the
               installed software only is kept, as after its first run: .pyc, matplotlib's
               font list, the parsed hyphenation patterns in ~/.cache/aipgen/); per stage
               (from the JSON report AIPGEN_TIMINGS asks for, pipeline.py) and the whole
               process, with its peak RSS. With two cores or more the charts are drawn beside
               the build (build/charting.py): the stage charts counts their start only, the
               time the PDF waits for them counts in pdf.
--verhaeltnis  overhead: aipgen's cold process for the paged formats (--nur pdf,druck: both PDFs,
               written from one layout) divided by "WeasyPrint alone": a fresh process that
               imports WeasyPrint, lays out the final HTML aipgen laid out (captured once with
               AIPGEN_HTML_DIR, see pdf.py) and writes it once with the screen PDF's options
               and base_url, but WeasyPrint's default URL fetcher.
--beispiele    per sample programme in the data folder: WeasyPrint alone and aipgen's paged
               formats as in --verhaeltnis, their ratio, the layouts aipgen made, and 405
               programmes like it on this machine's cores (the paged formats' time each).
--satz         one layout (no PDF) by WeasyPrint alone of the programme's final HTML today
               against one of Herne's screen HTML as aipgen 0.2.2 made it
               (tools/fixtures/herne-2023-0.2.2/, its stylesheets beside it), both in one fresh
               process per run: "a layout half as costly" (target ≤ 0,5).
--leer         no-op: `aipgen build PROGRAMM` again on unchanged input and output, in the same
               project folder, so the records in .aipgen-cache/ apply; then `aipgen build` of
               405 programmes, copies of it made to look built (data copied, output
               hard-linked, build record copied); with --stapel also the whole batch.
--kapitel      edit of one chapter → HTML: append a sentence, time `aipgen build PROGRAMM --nur
               web` until it exits (the programme was built --nur web once before).
--stapel [N]   a batch of N copies of the sample programmes (default 8), each with a jobcenter
               name of its own, one figure in its chapters' text and its chart titles changed,
               built cold (no output, no .aipgen-cache/) with the default --jobs: programmes
               per minute, CPU use of the process tree, peak RSS of the parent and of the
               largest worker (VmHWM sampled every 50 ms), and 405 programmes extrapolated at
               that rate; beside it the floor WeasyPrint alone sets: each sample programme's
               final HTML laid out once and written as one PDF (without start and import),
               weighted as the batch copies them, spread over the cores without loss.
--alle         all of the above.
--vorschau     edit of one chapter → page refreshed, in a running preview: the preview
               (`aipgen vorschau`) runs in this process on a copy of the programme; each run
               appends a paragraph to a chapter and times, as the browser sees it, until the
               event stream announces a new version and the page fetched then shows the
               paragraph; besides, how long the rebuild itself took.

The builds run in a temporary project folder (their current folder, with data/ copies, output/
and .aipgen-cache/), so the repository's own output and cache stay as they are.
"""

from __future__ import annotations

import argparse
import http.client
import importlib
import json
import math
import os
import platform
import re
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BYTECODE = Path(tempfile.gettempdir()) / "aipgen-benchmark-pyc"  # when the environment forbids
STAGES = ("load", "validate", "compute", "vorjahr", "charts", "web", "pdf", "druck", "pruefung")
PAGED = "pdf,druck"
PROGRAMMES_FOR_ALL = 405  # jobcenters in Germany
DEFAULT_BATCH = 8
SAMPLE_SECONDS = 0.05
TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)  # a table in the captured HTML
UNCHANGED = re.compile(r"^\S+: unverändert \(", re.MULTILINE)  # aipgen build's line for one
LOADS: list[float] = []  # the 1-minute load average before each measured process
WEASYPRINT_ALONE = """
import json, sys, time
start = time.perf_counter()
import weasyprint
imported = time.perf_counter()
for stem in sys.argv[1:]:
    about = json.load(open(stem + ".json", encoding="utf-8"))
    page = open(stem + ".html", encoding="utf-8").read()
    document = weasyprint.HTML(string=page, base_url=about["base_url"])
    document.write_pdf(stem + ".pdf", **about["options"])
done = time.perf_counter()
print(json.dumps({"import": imported - start, "render": done - imported}))
"""
# One layout (no PDF) of each HTML file named with its base URL, in one process after the import
# and after a small German page (the hyphenation patterns, fontconfig): the seconds of each,
# then again with aipgen's mend of WeasyPrint's page references (media/pagerefs.py).
WEASYPRINT_LAYOUT = """
import json, sys, time
import weasyprint
pairs = json.loads(sys.argv[1])
warm = '<html lang="de"><p style="hyphens: auto">Arbeitsmarktprogramm Eingliederungstitel</p>'
weasyprint.HTML(string=warm).render()
def laid_out():
    seconds = []
    for page, base_url in pairs:
        start = time.perf_counter()
        weasyprint.HTML(filename=page, base_url=base_url).render()
        seconds.append(time.perf_counter() - start)
    return seconds
plain = laid_out()
from aipgen.media import pagerefs
pagerefs.install()
print(json.dumps([plain, laid_out()]))
"""
# Herne's screen HTML as aipgen 0.2.2 laid it out (its stylesheets beside it, fonts from
# templates/fonts), when each PDF was laid out on its own: the measure of "a layout half as
# costly" (--satz).
FIXTURE_022 = ROOT / "tools" / "fixtures" / "herne-2023-0.2.2" / "seiten.html"


# --- running aipgen and measuring it ---------------------------------------------------------


@dataclass
class Run:
    seconds: float  # wall clock, start to exit
    cpu: float = 0.0  # user + sys seconds of the process and the workers it waited for
    parent_mib: float = 0.0  # peak RSS of the aipgen process
    worker_mib: float = 0.0  # peak RSS of its largest worker
    output: str = ""


def aipgen(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, sample: bool = False
) -> Run:
    """`aipgen ARGS` as a fresh process in `cwd`, timed; with `sample`, its peak memory too."""
    LOADS.append(os.getloadavg()[0])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "aipgen.cli.main", *args],
        cwd=cwd,
        env={**process_env(), "SOURCE_DATE_EPOCH": "0", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with RssSampler(process.pid, sample) as peaks:
        output, errors = process.communicate()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode:
        raise RuntimeError(f"aipgen {' '.join(args)}: Exit-Code {process.returncode}\n{errors}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Run(seconds, cpu, peaks.parent / 1024, peaks.worker / 1024, output)


@dataclass
class RssSampler:
    """Peak RSS (VmHWM, KiB) of a process and of each of its children, read every 50 ms by a
    thread while the process runs."""

    pid: int
    enabled: bool = True
    parent: int = 0
    children: dict[int, int] = field(default_factory=dict)
    done: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> RssSampler:
        self.thread = threading.Thread(target=self.loop, daemon=True)
        if self.enabled:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        if self.enabled:
            self.thread.join()

    def loop(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            self.parent = max(self.parent, peak_kib(self.pid))
            for child in workers_of(self.pid):
                self.children[child] = max(self.children.get(child, 0), peak_kib(child))

    @property
    def worker(self) -> int:
        return max(self.children.values(), default=0)


def peak_kib(pid: int) -> int:
    """VmHWM of a process in KiB; 0 when it has ended (or is a zombie)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found[1]) if found else 0


def workers_of(pid: int) -> list[int]:
    """The forked workers of `pid`: its children (from /proc/*/stat, the field after the name)
    that run the same program (not, say, an `ldconfig` a library starts)."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            same = os.readlink(f"{entry.path}/exe") == os.readlink(f"/proc/{pid}/exe")
        except OSError:
            continue
        if same and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def process_env() -> dict[str, str]:
    """The environment of a measured process: Python's compiled modules are kept, as they are
    after an installation (pip compiles them), even where PYTHONDONTWRITEBYTECODE is set."""
    env = dict(os.environ)
    if env.pop("PYTHONDONTWRITEBYTECODE", None):
        env.setdefault("PYTHONPYCACHEPREFIX", str(BYTECODE))
    return env


def weasyprint_alone(stems: list[str], cwd: Path) -> tuple[float, float]:
    """A fresh process rendering the captured HTML files: its wall seconds, and the seconds of
    the rendering alone (after the import)."""
    LOADS.append(os.getloadavg()[0])
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WEASYPRINT_ALONE, *stems],
        cwd=cwd,
        env=process_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    return seconds, float(json.loads(done.stdout.splitlines()[-1])["render"])


# --- output ----------------------------------------------------------------------------------


def num(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def spread(values: list[float], unit: str = "s", digits: int = 2) -> str:
    """'0,21 s (0,19–0,25)': median, then min–max."""
    middle, low, high = (num(v, digits) for v in (median(values), min(values), max(values)))
    return f"{middle}{' ' + unit if unit else ''} ({low}–{high})"


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def times(runs: int) -> str:
    return "1 Lauf" if runs == 1 else f"{runs} Läufe"


def say(label: str, text: str) -> None:
    print(f"  {label}: {text}")


# The targets: the figure's name → (limit, unit); a measured median is set against it.
TARGETS: dict[str, tuple[float, str]] = {
    "kalt": (5.0, "s"),  # a cold build of the programme, all formats (on a quiet day)
    "verhaeltnis": (1.35, ""),  # both PDFs against one layout and one PDF by WeasyPrint alone
    "satz": (0.5, ""),  # one layout of today's HTML against one of 0.2.2's (the fixture)
    "leerlauf": (0.3, "s"),
    "leerlauf-405": (30.0, "s"),
    "kapitel": (0.6, "s"),
    "vorschau": (0.3, "s"),
    "stapel-405": (15.0, "min"),
    "rss-eltern": (250.0, "MiB"),
    "rss-arbeiter": (300.0, "MiB"),
}


def against_target(name: str, value: float) -> None:
    """Whether the median meets its target, and by how much it misses."""
    limit, unit = TARGETS[name]
    digits = 2 if limit < 10 else 0
    shown = f"{num(limit, digits)}{' ' + unit if unit else ''}"
    if value <= limit:
        print(f"    Ziel ≤ {shown}: erreicht")
        return
    over = value - limit
    excess = f"{num(over, digits)}{' ' + unit if unit else ''}"
    print(f"    Ziel ≤ {shown}: verfehlt um {excess} ({num(over / limit * 100, 0)} % darüber)")


def machine() -> None:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "?")
    cores = len(os.sched_getaffinity(0))
    print(
        f"Rechner: {model}, {cores} Kerne, Python {platform.python_version()}, {platform.system()}"
    )
    print(f"Code: {code_version()}")
    print(f"Last (1/5/15 min) zu Beginn: {load_now()}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("Hinweis: PYTHONDONTWRITEBYTECODE ist gesetzt; die gemessenen Prozesse schreiben")
        print(f"  ihre .pyc trotzdem (nach {BYTECODE}), wie nach einer Installation.")
    installed_once()
    print("Wie nach dem ersten Lauf einer Installation bleiben in jeder Messung: die .pyc,")
    print(f"  matplotlibs Schriftliste und die gelesenen Trennmuster ({pattern_cache()}).")


def pattern_cache() -> str:
    """Where aipgen keeps the parsed hyphenation patterns (hyphendict.py)."""
    paths: Any = importlib.import_module("aipgen.base.paths")
    folder = paths.software_cache()
    return (
        str(folder / importlib.import_module("aipgen.design.hyphendict").FOLDER) if folder else "–"
    )


def installed_once() -> None:
    """What a first run after installing leaves for every later one (it depends on the
    installed software only): the compiled modules and the parsed hyphenation patterns."""
    preload = "from aipgen.design import hyphendict; hyphendict.preload()"
    subprocess.run([sys.executable, "-c", preload], env=process_env(), check=True)


def code_version() -> str:
    """The commit measured, and whether src/ differs from it."""
    git = ["git", "-C", str(ROOT)]
    try:
        commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True)
        changed = subprocess.run([*git, "status", "--porcelain", "src"], capture_output=True)
    except OSError:
        return "?"
    dirty = " (src/ mit nicht eingecheckten Änderungen)" if changed.stdout.strip() else ""
    return f"{commit.stdout.decode().strip() or '?'}{dirty}"


def load_now() -> str:
    return " / ".join(num(v) for v in os.getloadavg())


# --- the modes -------------------------------------------------------------------------------


@dataclass
class Found:
    """Figures one mode hands on to another."""

    cold: float | None = None  # the cold build's whole process, all formats


def cold(programme: str, data_dir: Path, runs: int, work: Path, found: Found) -> None:
    """Cold builds, all formats: per stage and the whole process."""
    results, stages = [], []
    for run in range(runs):
        project = fresh(work / f"lauf-{run}")
        report = project / "zeiten.json"
        command = [*cold_build(programme, data_dir), "--output-dir", str(project / "out")]
        results.append(aipgen(command, project, {"AIPGEN_TIMINGS": str(report)}, sample=True))
        stages.append(json.loads(report.read_text())[programme])
    how = "frischer Prozess, neuer Ausgabe- und Cache-Ordner, --alles-neu"
    print(f"Kalter Bau {programme}, alle Ausgaben ({how}), {times(runs)}:")
    whole = [r.seconds for r in results]
    print_stages(stages, median(whole))
    say("Prozess (mit Start, Importen, Schreiben)", spread(whole))
    against_target("kalt", median(whole))
    say("Spitzen-RSS des Prozesses", spread([r.parent_mib for r in results], "MiB", 0))
    found.cold = median(whole)


def fresh(folder: Path) -> Path:
    """A new, empty project folder: no .aipgen-cache/ (build records, drawn charts) in it."""
    folder.mkdir(parents=True)
    return folder


def cold_build(programme: str, data_dir: Path) -> list[str]:
    return ["build", programme, "--data-dir", str(data_dir), "--alles-neu"]


def print_stages(stages: list[dict[str, float]], whole: float) -> None:
    names = [*STAGES, *sorted({n for s in stages for n in s} - set(STAGES))]
    for name in names:
        label = f"Ausgabe {name}" if name in ("web", "pdf", "druck") else f"Stufe {name}"
        stage_row(label, [s.get(name, 0.0) for s in stages], whole)
    stage_row("Stufen zusammen", [sum(s.values()) for s in stages], whole)


def stage_row(label: str, seconds: list[float], whole: float) -> None:
    share = num(median(seconds) / whole * 100, 1)
    text = spread([v * 1000 for v in seconds], "ms", 0)
    print(f"  {label + ':':<17} {text:<27} {share} % des Prozesses")


def overhead(programme: str, data_dir: Path, runs: int, work: Path, found: Found) -> None:
    """aipgen's cold process for the paged formats ÷ WeasyPrint alone on the same final HTML."""
    html = fresh(work / "html")
    stems = capture_html(programme, data_dir, fresh(work / "erfasst"), html)
    ours, alone, rendering, printing = [], [], [], []
    for run in range(runs):
        seconds, stages = paged_build_stages(programme, data_dir, fresh(work / f"lauf-{run}"))
        ours.append(seconds)
        printing.append(stages.get("druck", 0.0))
        seconds, inside = weasyprint_alone(stems, html)
        alone.append(seconds)
        rendering.append(inside)
    print(f"Verhältnis zu WeasyPrint allein ({programme}, Ausgaben {PAGED}), {times(runs)}:")
    say(f"aipgen build --nur {PAGED} (kalt, ganzer Prozess)", spread(ours))
    say("WeasyPrint allein (frischer Prozess)", spread(alone))
    say("  davon Satz und PDF ohne Start und Import", spread(rendering))
    what_alone(stems)
    ratios = [o / a for o, a in zip(ours, alone, strict=True)]
    say("Verhältnis aipgen ÷ WeasyPrint allein", spread(ratios, ""))
    against_target("verhaeltnis", median(ratios))
    without = [(o - p) / a for o, p, a in zip(ours, printing, alone, strict=True)]
    why_ratio(median(ratios), median(without), layout_counts(stems))
    what_ratio(median(ours), median(alone), median(printing))
    if found.cold is not None:
        say("mit allen Ausgaben (Kalter Bau ÷ WeasyPrint allein)", num(found.cold / median(alone)))
        why_cold(found.cold, median(alone))


def why_ratio(ratio: float, without_print: float, layouts: list[tuple[str, int]]) -> None:
    """Where the ratio misses its target: what aipgen does beyond WeasyPrint alone."""
    if ratio <= TARGETS["verhaeltnis"][0]:
        return
    count = ", ".join(f"{n}×" for _, n in layouts)
    say(
        "    warum",
        f"aipgen setzt {count} (Umbruch nach Maß; der zweite Satz übernimmt die Seiten vor der "
        f"ersten Änderung, liest, gestaltet und baut aber das ganze Dokument neu) und macht das "
        f"Druck-PDF (Farbdurchgang, Farbauftrag mit Ghostscript); ohne die Stufe druck: "
        f"{num(without_print)}",
    )


def what_ratio(ours: float, alone: float, printing: float) -> None:
    """Where the ratio misses its target: how many seconds less it would take."""
    limit = TARGETS["verhaeltnis"][0]
    less = ours - limit * alone
    if less <= 0:
        return
    say(
        "    was es bräuchte",
        f"{num(less)} s weniger je Bau, z. B. die Stufe druck ({num(printing)} s) auf "
        f"{num(max(printing - less, 0.0))} s oder einen zweiten Satz, der nur die Seiten ab der "
        "Änderung liest, gestaltet und baut",
    )


def why_cold(cold: float, alone: float) -> None:
    """Where the cold build misses its target: what WeasyPrint alone needs already."""
    limit = TARGETS["kalt"][0]
    if cold <= limit:
        return
    say(
        "    warum kalt über dem Ziel",
        f"WeasyPrint allein braucht für einen Satz und ein PDF dieses HTML schon {num(alone)} s"
        f"{' (mehr als das Ziel)' if alone > limit else ''}; ≤ {num(limit, 0)} s bräuchte den "
        f"ganzen Bau {num(cold / limit)}-mal so schnell",
    )


def samples(data_dir: Path, runs: int, work: Path) -> None:
    """Per sample programme: WeasyPrint alone, aipgen's paged formats, their ratio, and 405
    programmes like it on this machine's cores."""
    names = sorted(p.name for p in data_dir.iterdir() if (p / "programm.yaml").is_file())
    cores = len(os.sched_getaffinity(0))
    print(f"Je Beispielprogramm (Ausgaben {PAGED}, {times(runs)}; 405 auf {cores} Kernen):")
    for name in names:
        html = fresh(work / name / "html")
        stems = capture_html(name, data_dir, fresh(work / name / "erfasst"), html)
        ours, alone = [], []
        for run in range(runs):
            ours.append(paged_build(name, data_dir, fresh(work / name / f"lauf-{run}")))
            alone.append(weasyprint_alone(stems, html)[0])
        ratio = median([o / a for o, a in zip(ours, alone, strict=True)])
        layouts = ", ".join(f"{count}×" for _, count in layout_counts(stems))
        batch = PROGRAMMES_FOR_ALL * median(ours) / cores / 60
        say(
            name,
            f"WeasyPrint allein {spread(alone)}, aipgen {spread(ours)} (Sätze: {layouts}), "
            f"Verhältnis {num(ratio)}, 405 wie dieses {num(batch, 0)} min",
        )


def layout_halved(programme: str, data_dir: Path, runs: int, work: Path) -> None:
    """One layout of the programme's final HTML today against one of 0.2.2's (the fixture), in
    the same process, alternating."""
    html = fresh(work / "html")
    (stem,) = capture_html(programme, data_dir, fresh(work / "erfasst"), html)
    about = json.loads(Path(stem + ".json").read_text())
    tables = without_tables(Path(stem + ".html"))
    pairs = [
        [stem + ".html", about["base_url"]],
        [str(FIXTURE_022), str(FIXTURE_022.parent)],
        [str(tables), about["base_url"]],
    ]
    found: list[list[list[float]]] = []
    for _ in range(runs):
        LOADS.append(os.getloadavg()[0])
        done = subprocess.run(
            [sys.executable, "-c", WEASYPRINT_LAYOUT, json.dumps(pairs)],
            env=process_env(),
            check=True,
            capture_output=True,
            text=True,
        )
        found.append(json.loads(done.stdout.splitlines()[-1]))
    print(f"Ein Satz durch WeasyPrint allein (ohne PDF), {programme}, {times(runs)}:")
    for index, how in enumerate(("WeasyPrint wie geliefert", "mit aipgens pagerefs.py")):
        today, before = [run[index][0] for run in found], [run[index][1] for run in found]
        say(f"{how}: heutiges HTML", spread(today))
        say(f"{how}: HTML von aipgen 0.2.2", spread(before))
        ratios = [t / b for t, b in zip(today, before, strict=True)]
        say(f"{how}: Verhältnis heute ÷ 0.2.2", spread(ratios, ""))
        against_target("satz", median(ratios))
    shares = [run[1][2] / run[1][0] for run in found]
    say("  heutiges HTML ohne seine Tabellen (mit pagerefs.py), ÷ mit", spread(shares, ""))
    why_layout(median([run[1][0] / run[1][1] for run in found]), median(shares))
    print(f"  (0.2.2: {FIXTURE_022.relative_to(ROOT)})")


def without_tables(page: Path) -> Path:
    """A copy of the HTML with every table taken out (their figures and captions stay)."""
    text = TABLE.sub("", page.read_text(encoding="utf-8"))
    target = page.with_name(page.stem + "_ohne-tabellen.html")
    target.write_text(text, encoding="utf-8")
    return target


def why_layout(ratio: float, share: float) -> None:
    """Where one layout is not half as costly as 0.2.2's: what its tables cost, and what would
    be left without any."""
    limit = TARGETS["satz"][0]
    if ratio <= limit:
        return
    say(
        "    warum",
        f"die Tabellen kosten {num((1 - share) * 100, 0)} % eines Satzes (0.2.2 setzte "
        f"dieselben); ohne jede Tabelle käme der Satz auf {num(ratio * share)} von 0.2.2",
    )
    if ratio * share <= limit:  # the tables alone stand between the layout and its target
        allowed = (limit / ratio - share) * 100
        what = (
            f"Tabellen, die höchstens {num(allowed, 0)} % eines heutigen Satzes kosten (statt "
            f"{num((1 - share) * 100, 0)} %): ein schnellerer Tabellensatz in WeasyPrint "
            "(Breiten der Zellen, Zeilen)"
        )
    else:
        what = (
            "einen schnelleren Satz in WeasyPrint: Tabellen (Breiten der Zellen, Zeilen) und "
            f"Zeilenumbruch zusammen {num(ratio / limit)}-mal so schnell"
        )
    say("    was es bräuchte", what)


def paged_build(programme: str, data_dir: Path, project: Path) -> float:
    """A cold `aipgen build --nur pdf,druck` in a new project folder: its seconds (without the
    conformance report, which WeasyPrint alone does not make either)."""
    return paged_build_stages(programme, data_dir, project)[0]


def paged_build_stages(
    programme: str, data_dir: Path, project: Path
) -> tuple[float, dict[str, float]]:
    """paged_build, with the seconds of each stage (AIPGEN_TIMINGS)."""
    command = [*cold_build(programme, data_dir), "--nur", PAGED, "--ohne-pruefung"]
    report = project / "zeiten.json"
    env = {"AIPGEN_TIMINGS": str(report)}
    run = aipgen([*command, "--output-dir", str(project / "out")], project, env)
    stages: dict[str, float] = json.loads(report.read_text())[programme]
    return run.seconds, stages


def capture_html(programme: str, data_dir: Path, project: Path, html: Path) -> list[str]:
    """Build the paged formats once with AIPGEN_HTML_DIR: the paths of the captured HTML
    files, without .html."""
    command = [*cold_build(programme, data_dir), "--nur", PAGED]
    command += ["--output-dir", str(project / "out")]
    aipgen(command, project, {"AIPGEN_HTML_DIR": str(html)})
    return sorted(str(path.with_suffix("")) for path in html.glob("*.html"))


def what_alone(stems: list[str]) -> None:
    layouts = ", ".join(f"{variant} {count}×" for variant, count in layout_counts(stems))
    say(
        "„WeasyPrint allein“ enthält",
        "Python-Start, import weasyprint, einmal HTML(string=endgültiges HTML, "
        "base_url=Programmordner).write_pdf(Optionen des Bildschirm-PDFs): ein Satz, ein PDF, "
        "Standard-URL-Fetcher; "
        "pyphen liest dort seine Trennmuster selbst (gut 0,5 s), aipgen nimmt sie aus "
        f"{pattern_cache()}",
    )
    say(
        "  nicht darin",
        "Laden, Prüfen, Rechnen, Diagramme, HTML-Erzeugung, weitere Satzläufe für den "
        f"Umbruch nach Maß oder gegen Trennungsleitern (aipgen setzte {layouts}), das Druck-PDF "
        "(aus dem Bildschirm-PDF: Beschnitt, PDF/X-4, CMYK-Nachlauf mit pikepdf) und die "
        "Prüfung beider PDFs",
    )


def layout_counts(stems: list[str]) -> list[tuple[str, int]]:
    """How often aipgen laid out the pages of each programme's PDFs (from the .json beside the
    captured HTML; both PDFs are written from one layout)."""
    counts = []
    for stem in stems:
        about = json.loads(Path(stem + ".json").read_text())
        counts.append((Path(stem).name.rsplit("_", 1)[1], int(about["layouts"])))
    return counts


def noop(programme: str, data_dir: Path, runs: int, work: Path) -> None:
    """`aipgen build PROGRAMM` again, nothing changed."""
    shutil.copytree(data_dir / programme, work / "data" / programme)
    aipgen(["build", programme], work)
    results = [aipgen(["build", programme], work) for _ in range(runs)]
    if not all(len(UNCHANGED.findall(r.output)) == 1 for r in results):
        raise RuntimeError(f"Leerlauf: {programme} wurde neu gebaut.")
    print(f"Leerlauf {programme} (zweites „aipgen build {programme}“, frischer Prozess):")
    say("Leerlauf (nichts geändert)", spread([r.seconds for r in results]))
    against_target("leerlauf", median([r.seconds for r in results]))
    many = replicate(programme, work, PROGRAMMES_FOR_ALL)
    results = [aipgen(["build"], work) for _ in range(runs)]
    if not all(len(UNCHANGED.findall(r.output)) == many for r in results):
        raise RuntimeError(f"Leerlauf von {many}: nicht alle Programme waren unverändert.")
    label = f"Leerlauf {many} Programme (Kopien davon, ein Befehl)"
    say(label, spread([r.seconds for r in results]))
    against_target("leerlauf-405", median([r.seconds for r in results]))


def replicate(programme: str, work: Path, n: int) -> int:
    """n - 1 copies of a built programme beside it, as if built too: data copied, output
    hard-linked (same sizes and times), the build record copied. The count of programmes."""
    record = next((work / ".aipgen-cache").rglob(f"{programme}.json"), None)
    if record is None:
        raise RuntimeError(f"Kein Eintrag für {programme} in .aipgen-cache/.")
    for number in range(1, n):
        name = f"{programme}-kopie-{number:03d}"
        shutil.copytree(work / "data" / programme, work / "data" / name)
        shutil.copytree(work / "output" / programme, work / "output" / name, copy_function=os.link)
        shutil.copyfile(record, record.with_name(f"{name}.json"))
    return n


def chapter_edit(programme: str, data_dir: Path, runs: int, work: Path) -> None:
    """Append a sentence to one chapter, then `aipgen build PROGRAMM --nur web` until it exits."""
    root = work / "data" / programme
    shutil.copytree(data_dir / programme, root)
    aipgen(["build", programme, "--nur", "web"], work)
    chapters = sorted((root / "kapitel").glob("*.md"))
    chapter = chapters[len(chapters) // 2]
    seconds = []
    for run in range(runs):
        marker = f"M{run:03d}-{secrets.randbelow(10**6):06d}"
        with chapter.open("a", encoding="utf-8") as text:
            text.write(f"\n\nDieser Satz kam für die Messung {marker} dazu.\n")
        seconds.append(aipgen(["build", programme, "--nur", "web"], work).seconds)
        if marker not in (work / "output" / programme / "index.html").read_text(encoding="utf-8"):
            raise RuntimeError(f"Kapitel bearbeitet: {marker} fehlt in der Website.")
    print(f"Kapitel bearbeitet → HTML fertig ({programme}, {chapter.relative_to(root)}):")
    say(f"aipgen build {programme} --nur web (frischer Prozess)", spread(seconds))
    against_target("kapitel", median(seconds))


def batch(data_dir: Path, n: int, runs: int, work: Path, noops: bool) -> None:
    """N distinct programmes, cold, with the default --jobs; then, with `noops`, unchanged."""
    sources = make_batch(data_dir, work / "data", n)
    aipgen(["check"], work)  # the copies are valid programmes
    results = []
    for _ in range(runs):
        for folder in ("output", ".aipgen-cache"):
            shutil.rmtree(work / folder, ignore_errors=True)
        results.append(aipgen(["build", "--alles-neu"], work, sample=True))
    cores = len(os.sched_getaffinity(0))
    print(f"Stapel: {n} Programme, alle Ausgaben, kalt, --jobs Standard ({cores}), {times(runs)}")
    print(f"  (Kopien von {', '.join(sources)};")
    print("  je eigener Jobcenter-Name, eine Zahl im Text und die Diagrammtitel anders):")
    print_batch(results, n, cores)
    batch_floor(data_dir, n, runs, work, cores, median([r.seconds for r in results]))
    if noops:
        batch_noop(n, runs, work)


def print_batch(results: list[Run], n: int, cores: int) -> None:
    say("Dauer", spread([r.seconds for r in results]))
    rates = [n / r.seconds * 60 for r in results]
    say("Durchsatz", spread(rates, "Programme/min", 1))
    usage = [r.cpu / (r.seconds * cores) * 100 for r in results]
    say(f"CPU-Auslastung (user+sys ÷ (Wanduhr × {cores} Kerne))", spread(usage, "%", 0))
    say("Spitzen-RSS Elternprozess", spread([r.parent_mib for r in results], "MiB", 0))
    against_target("rss-eltern", median([r.parent_mib for r in results]))
    say("Spitzen-RSS größter Arbeitsprozess", spread([r.worker_mib for r in results], "MiB", 0))
    against_target("rss-arbeiter", median([r.worker_mib for r in results]))
    minutes = [PROGRAMMES_FOR_ALL / rate for rate in rates]
    say(f"hochgerechnet auf {PROGRAMMES_FOR_ALL} Programme", spread(minutes, "min", 0))
    against_target("stapel-405", median(minutes))


def batch_floor(data_dir: Path, n: int, runs: int, work: Path, cores: int, batch: float) -> None:
    """What WeasyPrint alone needs for the batch's programmes: the final HTML of each sample
    programme laid out once and written as one PDF (start and import not counted), weighted as the
    batch copies them, spread over the cores without any loss; the same for 405."""
    copied = [source.name for source in copied_from(data_dir, n)]
    captured = {}
    for name in sorted(set(copied)):
        html = fresh(work / "untergrenze" / name / "html")
        stems = capture_html(name, data_dir, fresh(work / "untergrenze" / name / "bau"), html)
        captured[name] = (stems, html)
    per_programme = []
    for _ in range(runs):
        rendering = {name: weasyprint_alone(*captured[name])[1] for name in captured}
        per_programme.append(sum(rendering[name] for name in copied) / n)
    floor = median(per_programme) * n / cores
    say(
        "WeasyPrint allein für dieselben Programme (Satz und PDF, ohne Start und Import)",
        spread(per_programme, "s je Programm", 1),
    )
    say(f"  auf {cores} Kernen ohne jeden Verlust", f"{num(floor, 1)} s für den Stapel")
    say("  Stapel ÷ diese Untergrenze", num(batch / floor))
    minimum = [PROGRAMMES_FOR_ALL * s / cores / 60 for s in per_programme]
    say(f"  Untergrenze für {PROGRAMMES_FOR_ALL} Programme", spread(minimum, "min", 0))
    why_batch(PROGRAMMES_FOR_ALL * batch / n / 60, median(minimum), cores)


def why_batch(projected: float, floor: float, cores: int) -> None:
    """Where the projection for all jobcenters misses its target: how far WeasyPrint alone
    already is, and how many such cores it would take."""
    limit = TARGETS["stapel-405"][0]
    if projected <= limit:
        return
    needed = math.ceil(cores * projected / limit)
    say(
        "    warum",
        f"schon WeasyPrint allein braucht {num(floor, 0)} min"
        f"{' (mehr als das Ziel)' if floor > limit else ''}; aipgen dazu den zweiten Satz, "
        "die Diagramme, die Website, das Druck-PDF und den Prüfbericht",
    )
    say(
        "    was es bräuchte",
        f"{needed} solche Kerne statt {cores}, oder alles {num(projected / limit)}-mal so schnell",
    )


def batch_noop(n: int, runs: int, work: Path) -> None:
    results = [aipgen(["build"], work) for _ in range(runs)]
    if not all(len(UNCHANGED.findall(r.output)) == n for r in results):
        raise RuntimeError("Leerlauf des Stapels: nicht alle Programme waren unverändert.")
    seconds = [r.seconds for r in results]
    say(f"Leerlauf Stapel (alle {n} unverändert, ein Befehl)", spread(seconds))
    say("  je Programm", f"{num(median(seconds) / n, 3)} s")


# --- the batch's programmes ------------------------------------------------------------------

JOBCENTER = re.compile(r"^jobcenter: .*$", re.MULTILINE)
FIGURE = re.compile(r"(?<![\d.,])\d{2,}(?![.,]?\d)")
YEARS = range(1990, 2100)
TITLE = re.compile(r"^titel: (.*)$", re.MULTILINE)


def make_batch(data_dir: Path, target: Path, n: int) -> list[str]:
    """musterstadt-01 … as copies of the data folder's programmes, in turn; their names."""
    sources = copied_from(data_dir, n)
    for number, source in enumerate(sources, start=1):
        folder = target / f"musterstadt-{number:02d}"
        shutil.copytree(source, folder)
        meta = folder / "programm.yaml"
        own = f"jobcenter: Jobcenter Musterstadt {number:02d}"
        meta.write_text(JOBCENTER.sub(own, meta.read_text(encoding="utf-8"), 1), encoding="utf-8")
        change_figure(folder, number)
        retitle_charts(folder, f"Musterstadt {number:02d}")
    return list(dict.fromkeys(p.name for p in sources))


def copied_from(data_dir: Path, n: int) -> list[Path]:
    """The programme each of the batch's n copies is made from: the data folder's, in turn."""
    sources = sorted(p for p in data_dir.iterdir() if (p / "programm.yaml").is_file())
    return [sources[i % len(sources)] for i in range(n)]


def retitle_charts(folder: Path, town: str) -> None:
    """Each chart's title names the copy, so no copy's charts are another's (the drawn charts
    are cached by their data)."""
    for chart in sorted((folder / "diagramme").glob("*.yaml")):
        text = chart.read_text(encoding="utf-8")
        chart.write_text(TITLE.sub(lambda m: retitled(m, town), text, 1), encoding="utf-8")


def retitled(match: re.Match[str], town: str) -> str:
    value = match[1].rstrip()
    if value and value[0] in "\"'" and value[-1] == value[0]:
        return f"titel: {value[:-1]} – {town}{value[-1]}"
    return f"titel: {value} – {town}"


def change_figure(folder: Path, number: int) -> None:
    """The first figure (not a year) in the running text of the chapters grows by `number`."""
    for chapter in sorted((folder / "kapitel").glob("*.md")):
        text = chapter.read_text(encoding="utf-8")
        for match in FIGURE.finditer(text):
            line = text[text.rfind("\n", 0, match.start()) + 1 : text.find("\n", match.end())]
            if line[:1] not in "#{|:<" and "{" not in line and int(match[0]) not in YEARS:
                changed = str(int(match[0]) + number)
                chapter.write_text(text[: match.start()] + changed + text[match.end() :], "utf-8")
                return
    raise RuntimeError(f"{folder}: keine Zahl im Fließtext der Kapitel gefunden.")


# --- the preview -----------------------------------------------------------------------------


def preview_refresh(programme: str, data_dir: Path, runs: int) -> int:
    """Edit of one chapter → page refreshed, `runs` times, in a running preview."""
    preview_module: Any = importlib.import_module("aipgen.editor.preview")
    paths: Any = importlib.import_module("aipgen.base.paths")

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / programme
        shutil.copytree(data_dir / programme, root)
        chapters = sorted((root / "kapitel").glob("*.md"))
        chapter = chapters[len(chapters) // 2]
        start = time.perf_counter()
        with preview_module.Preview(root, paths.BUILT_IN) as preview:
            port = preview.server.server_port
            events = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            events.request("GET", preview_module.EVENTS)
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
        middle = median(values) * 1000
        print(f"  {label:<20} {middle:8.1f} ms  Median (min {low:.1f} – max {high:.1f} ms)")
    against_target("vorschau", median(refreshed))
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


# --- command line ----------------------------------------------------------------------------

MODES = {
    "kalt": "kalter Bau: je Stufe und Ausgabe, ganzer Prozess (Standard)",
    "verhaeltnis": "aipgen ÷ WeasyPrint allein auf demselben HTML",
    "leer": "Leerlauf: zweiter Bau ohne Änderung, dazu 405 Kopien (mit --stapel auch der Stapel)",
    "kapitel": "ein Kapitel bearbeitet → HTML fertig (frischer Prozess, --nur web)",
    "beispiele": "je Beispielprogramm: WeasyPrint allein, beide PDFs, Verhältnis, 405 wie dieses",
    "satz": "ein Satz des heutigen HTML ÷ einer des HTML von aipgen 0.2.2 (nur herne-2023)",
    "alle": "alle Messungen (Stapel mit 8 Programmen, wenn --stapel nichts sagt)",
    "vorschau": "Vorschau: Kapitel bearbeitet → Seite aktualisiert (statt ganzer Builds)",
}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="aipgen-Benchmark (Mediane über mehrere Läufe)")
    parser.add_argument("programme", nargs="?", default="herne-2023")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data")
    for name, text in MODES.items():
        parser.add_argument(f"--{name}", action="store_true", help=text)
    parser.add_argument(
        "--stapel",
        type=int,
        nargs="?",
        const=DEFAULT_BATCH,
        metavar="N",
        help=f"Stapel aus N Programmen kalt bauen [ohne N: {DEFAULT_BATCH}]",
    )
    args = parser.parse_args()
    if args.alle:
        args.kalt = args.verhaeltnis = args.leer = args.kapitel = True
        args.beispiele = args.satz = True
        args.stapel = args.stapel or DEFAULT_BATCH
    chosen = (args.verhaeltnis, args.leer, args.kapitel, args.stapel, args.beispiele, args.satz)
    if not any(chosen):
        args.kalt = True
    return args


def measure(args: argparse.Namespace, work: Path) -> None:
    found = Found()
    where = (args.programme, args.data_dir.resolve(), args.runs)
    if args.kalt:
        cold(*where, work / "kalt", found)
    if args.verhaeltnis:
        overhead(*where, work / "verhaeltnis", found)
    if args.satz:
        layout_halved(*where, work / "satz")
    if args.beispiele:
        samples(where[1], args.runs, work / "beispiele")
    if args.leer:
        noop(*where, work / "leer")
    if args.kapitel:
        chapter_edit(*where, work / "kapitel")
    if args.stapel:
        batch(where[1], args.stapel, args.runs, work / "stapel", args.leer)


def main() -> int:
    args = arguments()
    if args.vorschau:
        return preview_refresh(args.programme, args.data_dir, args.runs)
    machine()
    version = code_version()
    with tempfile.TemporaryDirectory(prefix="aipgen-benchmark-") as tmp:
        measure(args, Path(tmp))
    if code_version() != version:
        print(f"Achtung: der Code änderte sich während der Messung (jetzt {code_version()}).")
    print(f"Last (1/5/15 min) am Ende: {load_now()}")
    print(f"1-min-Last vor den gemessenen Prozessen: {spread(LOADS, '')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
