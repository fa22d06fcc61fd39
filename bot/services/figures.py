"""This module contains the programme's figures for staff: residents by status, check-ins
started and answered per week, how people said they were (the weekly check-in's `mood`) per
week, and alerts by kind and urgency. Each is a `Figure`: categories and one or more series
of counts, drawn as a chart and downloaded as CSV.

Weeks start on Monday in the programme's time zone (Europe/London unless set), and the last
is the week we are in; the counting is done in SQL (storage/figures.py).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from bot.clock import SystemClock
from bot.services.alerts import KIND_WORDS
from bot.services.errors import Invalid
from bot.services.results_export import ExportableFlow, ResultsExport
from bot.services.unit import reading
from flows.engine import Clock
from storage import figures, rows
from storage.database import Database

#: How many weeks the weekly figures cover, this week included.
WEEKS = 12
#: The figures there are, by the name in their address (/admin/figures/NAME.csv).
FIGURE_NAMES = ("residents", "checkins", "mood", "alerts")
STATUSES = (("active", "Active"), ("paused", "Paused"), ("stopped", "Stopped"))
#: The weekly check-in's answers to "How are you this week?", as its choices name them.
MOODS = (("good", "Good"), ("ok", "OK"), ("low", "Not so good"))
MOOD_FLOW, MOOD_RESULT = "weekly_checkin", "mood"
CHECKIN_FLOW = "weekly_checkin"


@dataclass(frozen=True, slots=True)
class Overview:
    """The figures page: every figure, and the flows whose results can be exported."""

    figures: list[Figure]
    flows: list[ExportableFlow]


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure: counts per category, in one or more series."""

    name: str
    title: str
    #: One or two sentences on what is counted, for the chart's description and the page.
    description: str
    #: What the categories are ("Week starting"), as a column heading.
    category_heading: str
    #: Each category as people read it ("16 Nov").
    categories: tuple[str, ...]
    #: Each category as a CSV cell ("2026-11-16").
    category_keys: tuple[str, ...]
    series: tuple[Series, ...]

    @property
    def total(self) -> int:
        return sum(sum(s.values) for s in self.series)


def as_csv(figure: Figure) -> str:
    """The figure as CSV: a header row, then one row per category."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([figure.category_heading, *(s.name for s in figure.series)])
    for index, key in enumerate(figure.category_keys):
        writer.writerow([key, *(s.values[index] for s in figure.series)])
    return out.getvalue()


def week_starts(now: datetime, zone: ZoneInfo, count: int = WEEKS) -> list[date]:
    """The Mondays of the last `count` weeks in `zone`, oldest first, this week's last."""
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=count - 1 - i) for i in range(count)]


def _stamp(day: date, zone: ZoneInfo) -> str:
    """Local midnight at the start of `day`, as a stored UTC time."""
    return rows.now_text(datetime.combine(day, time(), tzinfo=zone))


class Figures:
    def __init__(
        self,
        db: Database,
        results: ResultsExport,
        clock: Clock | None = None,
        time_zone: str = "Europe/London",
    ) -> None:
        self.db = db
        self.results = results
        self.clock = clock or SystemClock()
        self.zone = ZoneInfo(time_zone)

    async def overview(self) -> Overview:
        """Every figure, in the order the page shows them, and the flows to export."""
        return Overview(
            [await self.figure(name) for name in FIGURE_NAMES], self.results.exportable()
        )

    async def figure(self, name: str) -> Figure:
        """One figure by name (one of FIGURE_NAMES)."""
        mondays = week_starts(self.clock.now(), self.zone)
        bounds = [_stamp(day, self.zone) for day in [*mondays, mondays[-1] + timedelta(weeks=1)]]
        weeks = list(pairwise(bounds))
        labels = tuple(f"{day.day} {day:%b}" for day in mondays)
        keys = tuple(day.isoformat() for day in mondays)
        async with reading(self.db) as conn:
            if name == "residents":
                counts = await figures.residents_by_status(conn)
                return Figure(
                    "residents",
                    "Residents by status",
                    "How many residents are active, paused or stopped now.",
                    "Status",
                    tuple(words for _, words in STATUSES),
                    tuple(status for status, _ in STATUSES),
                    (Series("Residents", tuple(counts.get(s, 0) for s, _ in STATUSES)),),
                )
            if name == "checkins":
                per_week = await figures.checkins_per_week(conn, weeks, CHECKIN_FLOW)
                started = tuple(per_week.get(start, (0, 0))[0] for start, _ in weeks)
                answered = tuple(per_week.get(start, (0, 0))[1] for start, _ in weeks)
                return Figure(
                    "checkins",
                    "Check-ins answered",
                    f"Check-ins started each week, and how many of them the resident answered,"
                    f" over the last {WEEKS} weeks.",
                    "Week starting",
                    labels,
                    keys,
                    (Series("Started", started), Series("Answered", answered)),
                )
            if name == "mood":
                answers = await figures.answers_per_week(conn, weeks, MOOD_FLOW, MOOD_RESULT)
                return Figure(
                    "mood",
                    "How people have been",
                    'Answers to the weekly check-in\'s "How are you this week?" each week,'
                    f" over the last {WEEKS} weeks.",
                    "Week starting",
                    labels,
                    keys,
                    tuple(
                        Series(words, tuple(answers.get((start, mood), 0) for start, _ in weeks))
                        for mood, words in MOODS
                    ),
                )
            if name == "alerts":
                by_kind = await figures.alerts_by_kind(conn, weeks[0][0])
                kinds = sorted({kind for kind, _ in by_kind})
                return Figure(
                    "alerts",
                    "Alerts by kind",
                    f"Alerts raised over the last {WEEKS} weeks, by what they were about,"
                    " urgent and routine.",
                    "Kind",
                    tuple(KIND_WORDS.get(k, k.replace("_", " ").capitalize()) for k in kinds),
                    tuple(kinds),
                    tuple(
                        Series(words, tuple(by_kind.get((k, urgency), 0) for k in kinds))
                        for urgency, words in (("urgent", "Urgent"), ("routine", "Routine"))
                    ),
                )
        raise Invalid("figure", f"There is no figure called {name}.")
