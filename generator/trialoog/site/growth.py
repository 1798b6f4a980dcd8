"""Growth per competence as small multiples: a small chart per competence of self, mentor and coach.

Each chart has the evaluation moments left to right, the levels bottom to top, and one series per rater.

Only the geometry is computed here (as in trialoog.site.charts, whose palette, markers and dashes
it shares, so the legend of one chart serves all); theme/pages/evaluaties.html draws the SVG, and
the table beside it says the same in words. A moment where the raters lie two levels or more apart
gets a band behind it, and the table marks it in words too.
"""

from __future__ import annotations

from dataclasses import dataclass

from trialoog.site.charts import DASHES, MARKERS, PALETTE, Point, Series, Tick
from trialoog.site.views import CompetenceGrowth

WIDTH, HEIGHT = 240, 132
PLOT = (34, 10, 228, 100)  # left, top, right, bottom inside the SVG
NUDGE = 7  # raters side by side at one moment, so equal levels stay visible


@dataclass(frozen=True)
class Band:
    x: float
    width: float


@dataclass(frozen=True)
class SmallMultiple:
    code: str
    title: str
    summary: str  # what the chart shows, in words (the SVG's description)
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    series: tuple[Series, ...]
    bands: tuple[Band, ...]  # moments with a disagreement
    width: int = WIDTH
    height: int = HEIGHT
    plot: tuple[int, int, int, int] = PLOT


def small_multiples(growth: list[CompetenceGrowth], raters: tuple[tuple[str, str], ...], levels: list[str],
                    moment_labels: list[str]) -> list[SmallMultiple]:
    """One chart per competence; `moment_labels` are the short names under the x axis."""
    if not levels:
        return []
    count = len(moment_labels)
    left, top, right, bottom = PLOT
    step = (right - left) / max(1, count)
    xs = [left + step * (index + 0.5) for index in range(count)]
    y_of = {level: bottom - rank * (bottom - top) / max(1, len(levels) - 1) for rank, level in enumerate(levels)}
    x_ticks = tuple(Tick(x, label) for x, label in zip(xs, moment_labels))
    y_ticks = tuple(Tick(y, level) for level, y in y_of.items())
    return [_chart(item, raters, xs, y_of, step, x_ticks, y_ticks) for item in growth]


def _chart(item: CompetenceGrowth, raters, xs, y_of, step, x_ticks, y_ticks) -> SmallMultiple:
    series = []
    for index, (rater, label) in enumerate(raters):
        nudge = (index - (len(raters) - 1) / 2) * NUDGE
        points = tuple(
            Point(xs[i] + nudge, y_of[cell.level], f"{x_ticks[i].label} — {label}: {cell.level} ({cell.label})")
            for i, moment in enumerate(item.moments)
            for who, cell in moment.ratings if who == rater and cell.level in y_of
        )
        if points:
            series.append(Series(label, PALETTE[index], MARKERS[index], DASHES[index], points))
    bands = tuple(Band(xs[i] - step / 2 + 2, step - 4) for i, moment in enumerate(item.moments) if moment.disagreement)
    return SmallMultiple(item.code, item.title, _summary(item, raters, x_ticks), x_ticks, y_ticks, tuple(series), bands)


def _summary(item: CompetenceGrowth, raters, x_ticks) -> str:
    parts = []
    for tick, moment in zip(x_ticks, item.moments):
        given = [f"{label.lower()} {cell.level}" for (rater, label), (_, cell) in zip(raters, moment.ratings) if cell.level]
        if given:
            parts.append(f"{tick.label}: {', '.join(given)}{' (verschil van twee niveaus of meer)' if moment.disagreement else ''}")
    return f"{item.code} {item.title}. " + ("; ".join(parts) if parts else "nog niet beoordeeld") + "."
