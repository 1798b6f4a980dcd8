"""Charts as SVG, computed at build time: no JavaScript, nothing from another host.

This module only does the geometry (where each point, tick and line goes) and the words that say
the same as the chart; theme/pages/charts.html draws the SVG and the table beside it. Colours are
the Okabe-Ito palette, which stays distinct with any colour-vision deficiency, and every series
also has its own marker shape and dash pattern, so a chart printed in grey still reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from trialoog.dutch import long_date, short_month

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ("", "7 4", "2 3", "10 3 2 3")
WIDTH, HEIGHT = 640, 260
PLOT = (56, 16, 624, 216)  # left, top, right, bottom of the plotting area inside the SVG
HEAT_STEPS = 5  # classes tl-heat-1 … tl-heat-5; tl-heat-0 marks "no evidence"


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # what a tooltip (and the table) says about this point


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    marker: str
    dash: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{p.x:.1f} {p.y:.1f}" for i, p in enumerate(self.points))


@dataclass(frozen=True)
class LineChart:
    id: str  # unique on its page, for aria-labelledby
    title: str
    summary: str  # one or two sentences that say what the chart shows
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    series: tuple[Series, ...]
    table_head: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]
    width: int = WIDTH
    height: int = HEIGHT
    plot: tuple[int, int, int, int] = PLOT


def wellbeing_chart(points: list[tuple[dt.date, int, str]], start: dt.date, end: dt.date, chart_id: str = "welbevinden") -> LineChart | None:
    """Wellbeing (1–5) of the reflections over the academic year; None without any score."""
    if not points:
        return None
    first, last = min(start, points[0][0]), max(end, points[-1][0])
    x = _date_scale(first, last)
    y = _linear(1, 5, PLOT[3], PLOT[1])
    placed = tuple(Point(x(day), y(value), f"{long_date(day)}: {value} — {title}") for day, value, title in points)
    values = [value for _, value, _ in points]
    return LineChart(
        id=chart_id,
        title="Welbevinden per reflectie (1 = slecht, 5 = heel goed)",
        summary=f"{len(values)} scores van {long_date(points[0][0])} tot {long_date(points[-1][0])}. {trend_sentence(values)}",
        x_ticks=tuple(Tick(x(day), label) for day, label in _month_ticks(first, last)),
        y_ticks=tuple(Tick(y(value), str(value)) for value in range(1, 6)),
        series=(Series("welbevinden", PALETTE[0], MARKERS[0], DASHES[0], placed),),
        table_head=("datum", "welbevinden", "reflectie"),
        table_rows=tuple((long_date(day), str(value), title) for day, value, title in points),
    )


def trend_sentence(values: Sequence[float]) -> str:
    """Dutch words for the direction of the last scores: 'De laatste 3 scores: 4, 3, 2 (dalend).'"""
    if len(values) < 2:
        return "Nog te weinig scores voor een trend."
    recent = values[-3:]
    change = recent[-1] - recent[0]
    direction = "stijgend" if change > 0 else "dalend" if change < 0 else "gelijk gebleven"
    shown = ", ".join(_number(value) for value in recent)
    return f"De laatste {len(recent)} scores: {shown} ({direction})."


@dataclass(frozen=True)
class HeatStep:
    step: int  # the class tl-heat-<step>
    low: int
    high: int

    @property
    def label(self) -> str:
        """What the legend says this colour means: "0", "3", "4–6"."""
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


@dataclass(frozen=True)
class HeatScale:
    """One colour scale for a whole cohort: the same count has the same colour in every row of
    the overview and on every student's own matrix (a scale per student once made Jonas's 2 as
    dark as Amina's 11). Step k covers the counts up to ceil(k/5 of the cohort's highest count);
    0 ("no evidence") is a step of its own."""

    highest: int

    @classmethod
    def of(cls, counts) -> HeatScale:
        return cls(max(counts, default=0))

    @property
    def bounds(self) -> tuple[int, ...]:
        """The highest count of each step 1 … HEAT_STEPS (equal bounds: that step holds no count)."""
        top = max(1, self.highest)
        return tuple(-(-top * k // HEAT_STEPS) for k in range(1, HEAT_STEPS + 1))

    def step(self, count: int) -> int:
        if count <= 0:
            return 0
        for step, bound in enumerate(self.bounds, start=1):
            if count <= bound:
                return step
        return HEAT_STEPS  # above the cohort's highest (cannot happen for counts of the cohort)

    @property
    def legend(self) -> tuple[HeatStep, ...]:
        """Every step that holds a count, with its numbers, "no evidence" first."""
        steps, low = [HeatStep(0, 0, 0)], 1
        for step, bound in enumerate(self.bounds, start=1):
            if bound >= low:
                steps.append(HeatStep(step, low, bound))
                low = bound + 1
        return tuple(steps)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _linear(low: float, high: float, out_low: float, out_high: float):
    span = (high - low) or 1
    return lambda value: out_low + (value - low) * (out_high - out_low) / span


def _date_scale(first: dt.date, last: dt.date):
    days = max(1, (last - first).days)
    return lambda day: PLOT[0] + (day - first).days * (PLOT[2] - PLOT[0]) / days


def _month_ticks(first: dt.date, last: dt.date):
    day = dt.date(first.year, first.month, 1)
    if day < first:
        day = _next_month(day)
    while day <= last:
        yield day, short_month(day)
        day = _next_month(day)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
