"""A programme's charts as SVG, for each kind its formats ask for (palette, interactive): drawn
in this process, or beside the build in a forked process, so that matplotlib draws on one core
while this one loads WeasyPrint, makes the PDF's HTML and builds its boxes.

Beside the build, the PDF's HTML (formats that fetch their charts, `fetches_charts`) names each
chart by a URL of its own (render.PENDING_SCHEME); WeasyPrint asks for it as it builds the
boxes, and the fetcher (media/pdf.py) waits there for the drawing. Every other format waits for
its charts before its HTML is made. Where the build has to wait, it first loads what its later
formats need (`loads_while_waiting`, e.g. pikepdf and numpy for the print PDF). A drawing process
that dies or fails is no fault of the programme's: what it did not send is drawn here, and an
error that drawing meets ends the build as it would without the process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from aipgen.base import forked
from aipgen.base.formats import OutputFormat, Variant
from aipgen.compute.document import Document
from aipgen.media.render import PENDING_SCHEME, ChartSvg

Kind = tuple[Variant, bool]  # the palette, and whether a browser shows the charts


def nothing() -> None:
    pass


class Charts:
    """The charts of a document for each kind, drawn here or (`beside`) in a forked process."""

    def __init__(
        self, doc: Document, kinds: list[Kind], beside: bool, idle: Callable[[], None] = nothing
    ) -> None:
        self.doc = doc
        self.kinds = kinds
        self.idle = idle  # what the build will need later, done if it has to wait for charts
        self.drawn: dict[Kind, dict[str, ChartSvg]] = {}
        self.urls: dict[str, tuple[Kind, str]] = {}  # a pending chart's URL: its kind, its name
        self.worker: forked.Forked | None = None
        if beside and doc.charts:
            self.worker = forked.start("aipgen Diagramme", drawn_each, doc, kinds)
        else:
            self.drawn = dict(drawn_each(doc, kinds))

    def for_format(self, source: OutputFormat) -> dict[str, ChartSvg]:
        """The charts for a format's HTML: still being drawn where its renderer can wait for
        them as it fetches them, else drawn."""
        kind = (source.colours, source.interactive)
        if kind in self.drawn or self.worker is None or not source.fetches_charts:
            return self.of(kind)
        return {name: self.pending(kind, name) for name in self.doc.charts}

    def pending(self, kind: Kind, name: str) -> ChartSvg:
        from aipgen.charts.svg import alt_text

        url = f"{PENDING_SCHEME}{kind[0]}-{int(kind[1])}/{len(self.urls)}"
        self.urls[url] = kind, name
        return ChartSvg("", alt_text(self.doc.charts[name].data), url=url)

    def svg(self, url: str) -> str:
        """The SVG of a pending chart, by its URL, once drawn (render.PendingCharts)."""
        kind, name = self.urls[url]
        return self.of(kind)[name].svg

    def of(self, kind: Kind) -> dict[str, ChartSvg]:
        """The charts of one kind: as they come from the drawing process, else drawn here."""
        while kind not in self.drawn and self.worker is not None:
            self.while_waiting(self.worker)
            self.receive(self.worker)
        if kind not in self.drawn:
            self.drawn[kind] = render_charts(self.doc, *kind)
        return self.drawn[kind]

    def while_waiting(self, worker: forked.Forked) -> None:
        """Before the build waits for the drawing: what it needs later, done now (once)."""
        if not worker.connection.poll():
            idle, self.idle = self.idle, nothing
            idle()

    def receive(self, worker: forked.Forked) -> None:
        try:
            kind, charts = worker.receive()
        except Exception:  # it died, or failed: what it did not send is drawn here
            self.close()
            return
        self.drawn[kind] = charts
        if len(self.drawn) == len(self.kinds):
            worker.finish()
            self.worker = None

    def finish(self) -> None:
        """Every kind drawn, the drawing process ended. A chart WeasyPrint could not have
        (its drawing failed here too) is drawn again, so the error ends the build."""
        for kind in self.kinds:
            self.of(kind)

    def close(self) -> None:
        """The drawing process stopped, if it still runs."""
        if self.worker is not None:
            self.worker.stop()
            self.worker = None


def drawn_each(doc: Document, kinds: list[Kind]) -> Iterator[tuple[Kind, dict[str, ChartSvg]]]:
    """In the drawing process: the charts of each kind, in turn."""
    for kind in kinds:
        yield kind, render_charts(doc, *kind)


def render_charts(doc: Document, variant: Variant, narrow: bool = False) -> dict[str, ChartSvg]:
    """Every chart of the document; with `narrow`, also drawn for phones."""
    from aipgen.charts import (
        svg as charts,  # matplotlib loads only when charts are drawn, not for `check`
    )

    return {
        name: ChartSvg(
            charts.render_svg(info.data, doc.design, variant),
            charts.alt_text(info.data),
            charts.render_svg(info.data, doc.design, variant, narrow=True) if narrow else "",
        )
        for name, info in doc.charts.items()
    }
