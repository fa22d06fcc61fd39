"""This module contains the programme's figures pages: each figure drawn as an SVG bar chart
with its numbers in a table, downloadable as CSV; and a flow's results exported as CSV or as a
FLOIP Flow Results package."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup
from starlette.responses import Response

from admin.web.charts import Bars, bar_chart
from admin.web.framework import Handler, Page, PageRequest
from bot.services.access import Ability
from bot.services.figures import FIGURE_NAMES, Figure, as_csv
from bot.services.results_export import Export, ExportableFlow


@dataclass(frozen=True)
class Drawn:
    figure: Figure
    chart: Markup


@dataclass(frozen=True)
class FiguresContext:
    drawn: list[Drawn] = field(metadata={"help": "Each figure with its chart, in page order."})
    flows: list[ExportableFlow] = field(metadata={"help": "Flows whose results can be exported."})


async def figures_page(page: PageRequest) -> Response:
    overview = await page.site.services.figures.overview()
    drawn = [Drawn(figure, _chart(figure)) for figure in overview.figures]
    return page.render("figures.html", FiguresContext(drawn, overview.flows))


def figure_csv(name: str) -> Handler:
    """The CSV download of one figure (a page each, so the address names a real figure)."""

    async def download(page: PageRequest) -> Response:
        figure = await page.site.services.figures.figure(name)
        return _download(f"{name}.csv", "text/csv", as_csv(figure))

    return download


async def results_csv(page: PageRequest) -> Response:
    found = await page.site.services.results_export.as_csv(page.user, page.keys["flow_key"])
    return _export(found)


async def results_floip(page: PageRequest) -> Response:
    found = await page.site.services.results_export.as_floip(page.user, page.keys["flow_key"])
    return _export(found)


def _chart(figure: Figure) -> Markup:
    return bar_chart(
        f"chart-{figure.name}",
        figure.title,
        figure.description,
        figure.categories,
        [Bars(s.name, s.values) for s in figure.series],
    )


def _export(found: Export) -> Response:
    return _download(found.filename, found.media_type, found.text)


def _download(filename: str, media_type: str, text: str) -> Response:
    # Filenames are made from checked keys ([a-z0-9_]) only, so they need no quoting rules.
    return Response(
        text,
        media_type=f"{media_type}; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


PAGES = (
    Page("/figures", "figures", figures_page, needs=Ability.SEE_FIGURES),
    *(
        Page(
            f"/figures/{name}.csv",
            f"figure_{name}_csv",
            figure_csv(name),
            needs=Ability.SEE_FIGURES,
        )
        for name in FIGURE_NAMES
    ),
    Page("/figures/results/{flow_key}.csv", "results_csv", results_csv, needs=Ability.SEE_FIGURES),
    Page(
        "/figures/results/{flow_key}.floip.json",
        "results_floip",
        results_floip,
        needs=Ability.SEE_FIGURES,
    ),
)
