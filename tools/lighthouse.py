"""Score every page of a built website with Lighthouse, as a phone sees it: serve the output
folder on a local HTTP server, run the pinned Lighthouse (tools/lighthouse/package.json) with
Debian's Chromium on each page, print the four scores per page and fail when one misses its
target (accessibility, best practices and SEO 100, performance at least 90).

    npm ci --prefix tools/lighthouse                     (once: the pinned Lighthouse)
    .venv/bin/python tools/lighthouse.py [OUTPUT] [--seite PFAD ...] [--json DATEI]
                                         [--ohne-kompression]

OUTPUT is the built output folder (default output/, built with `aipgen build`); --seite
scores only the given pages (paths relative to OUTPUT, e.g. duisburg-2016/index.html). The
server compresses text files with gzip, as the web server that publishes the site does;
--ohne-kompression serves them as they are.
A page takes about half a minute (Lighthouse throttles the CPU four times and the network
like a slow 4G phone), so this is a tool and not part of the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "tools" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = Path(os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
# category → (German name, lowest score that passes)
TARGETS = {
    "performance": ("Leistung (Handy)", 90),
    "accessibility": ("Barrierefreiheit", 100),
    "best-practices": ("Empfehlungen", 100),
    "seo": ("SEO", 100),
}


COMPRESSED = (".html", ".css", ".svg", ".xml", ".csv", ".json")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class CompressingHandler(QuietHandler):
    """Text files gzip-compressed, as a web server delivers them (the website's HTML is up to
    270 KB; compressed about a sixth)."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSED):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(folder: Path, compress: bool) -> Iterator[str]:
    """Serve a folder on a free local port in a background thread; its base URL."""
    kind = CompressingHandler if compress else QuietHandler
    handler = functools.partial(kind, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def pages(output: Path) -> list[str]:
    """The overview's pages and every page of every programme, relative to output."""
    found = [*output.glob("*.html"), *output.glob("*/**/*.html")]
    return sorted(p.relative_to(output).as_posix() for p in found)


def lighthouse(url: str) -> dict[str, Any]:
    """Lighthouse's report on one page (mobile, its default)."""
    command = [
        "node",
        str(CLI),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(TARGETS)}",
    ]
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise SystemExit(f"Lighthouse scheiterte an {url}:\n{result.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def scores(report: dict[str, Any]) -> dict[str, int]:
    return {k: round(100 * (report["categories"][k]["score"] or 0)) for k in TARGETS}


def misses(report: dict[str, Any], category: str) -> list[str]:
    """The audits that cost a category points, for the reader of a failure."""
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            shown = audit.get("displayValue", "")
            lines.append(f"{audit['id']} {shown}".strip())
    return lines


def missing_tools() -> str:
    if shutil.which("node") is None:
        return "node fehlt (apt-get install nodejs)."
    if not CLI.exists():
        return "Lighthouse fehlt: npm ci --prefix tools/lighthouse"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} fehlt (apt-get install chromium) oder CHROME_PATH setzen."
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", nargs="?", type=Path, default=ROOT / "output")
    parser.add_argument("--seite", action="append", default=[], help="nur diese Seite(n)")
    parser.add_argument("--json", type=Path, help="alle Werte als JSON in diese Datei")
    parser.add_argument(
        "--ohne-kompression",
        action="store_true",
        help="Dateien unkomprimiert ausliefern (Standard: gzip wie ein Webserver)",
    )
    args = parser.parse_args()
    problem = missing_tools()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    chosen = args.seite or pages(args.output)
    if not chosen:
        print(f"Keine Seite in {args.output}: erst aipgen build.", file=sys.stderr)
        return 2
    print("Seite".ljust(40) + "".join(name.rjust(18) for name, _ in TARGETS.values()))
    results, failed = {}, False
    with serve(args.output, compress=not args.ohne_kompression) as site:
        for page in chosen:
            report = lighthouse(site + page)
            results[page] = scores(report)
            print(page.ljust(40) + "".join(str(v).rjust(18) for v in results[page].values()))
            for category, (name, target) in TARGETS.items():
                if results[page][category] < target:
                    failed = True
                    print(f"  {name} unter {target}: " + "; ".join(misses(report, category)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
