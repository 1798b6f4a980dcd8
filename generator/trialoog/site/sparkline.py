"""A sparkline of the wellbeing scores for the driegesprek: a word-sized line, computed at build time.

The driegesprek has to fit two A4 pages, so it shows the course of the scores in a line of text's
height instead of the full chart of the wellbeing page (trialoog.site.charts, whose words it reuses).
The page keeps the scores as a table for screen readers; only the paper leaves the table out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trialoog.dutch import long_date
from trialoog.site.charts import trend_sentence

WIDTH, HEIGHT, PAD = 220, 36, 4  # px of the SVG; scores 1 (bottom) to 5 (top)
LOW, HIGH = 1, 5


@dataclass(frozen=True)
class Sparkline:
    path: str  # the SVG path of the line
    last: tuple[float, float]  # where the latest score sits, marked with a dot
    summary: str  # what the line says, in words (the SVG's accessible name)
    rows: tuple[tuple[str, int, str], ...]  # (date, score, reflection title), for the table
    width: int = WIDTH
    height: int = HEIGHT


def wellbeing_sparkline(points: list[tuple[dt.date, int, str]]) -> Sparkline | None:
    """The scores over time (x by date, y from 1 to 5); None without any score."""
    if not points:
        return None
    first, last = points[0][0], points[-1][0]
    span = max(1, (last - first).days)
    placed = [
        (PAD + (day - first).days * (WIDTH - 2 * PAD) / span, HEIGHT - PAD - (value - LOW) * (HEIGHT - 2 * PAD) / (HIGH - LOW))
        for day, value, _ in points
    ]
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f} {y:.1f}" for i, (x, y) in enumerate(placed))
    values = [value for _, value, _ in points]
    summary = (
        f"Welbevinden (1 = slecht, 5 = heel goed): {len(values)} scores van {long_date(first)} tot {long_date(last)}, "
        f"laagste {min(values)}, hoogste {max(values)}. {trend_sentence(values)}"
    )
    rows = tuple((long_date(day), value, title) for day, value, title in points)
    return Sparkline(path, placed[-1], summary, rows)
