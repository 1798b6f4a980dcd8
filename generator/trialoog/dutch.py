"""Dutch wording shared by messages, reports and pages: dates and counted nouns.

Dates come from Babel's Dutch locale data (CLDR) rather than our own month table, so an
abbreviation is the one Dutch readers know ("mrt", not the first three letters "maa"). A build
formats the same few hundred dates thousands of times, hence the caches.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date

LOCALE = "nl"


@lru_cache(maxsize=4096)
def _format(day: dt.date, pattern: str) -> str:
    return format_date(day, pattern, locale=LOCALE)


def long_date(day: dt.date | None) -> str:
    """26 januari 2018"""
    if day is None:
        return "zonder datum"
    return _format(day, "long")


def short_date(day: dt.date | None) -> str:
    """26 jan 2018; 15 mrt 2018"""
    if day is None:
        return "—"
    return _format(day, "medium")


def month_year(day: dt.date) -> str:
    """september 2017"""
    return _format(day.replace(day=1), "LLLL y")


def short_month(day: dt.date) -> str:
    """sep, mrt: a month on a chart's axis"""
    return _format(day.replace(day=1), "LLL")


def joined(items: list[str] | tuple[str, ...], last: str = "en") -> str:
    """"a, b en c": a list as a Dutch sentence says it (no comma before "en")."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def counted(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def days(count: int) -> str:
    """A span of days as a reader says it: 21 -> "3 weken", 10 -> "10 dagen", 1 -> "1 dag"."""
    if count >= 7 and count % 7 == 0:
        return counted(count // 7, "week", "weken")
    return counted(count, "dag", "dagen")
