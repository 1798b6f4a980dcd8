"""Dutch wording shared by messages, reports and pages: dates and counted nouns."""

from __future__ import annotations

import datetime as dt

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


def long_date(day: dt.date | None) -> str:
    """26 januari 2018"""
    if day is None:
        return "zonder datum"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date | None) -> str:
    """26 jan 2018"""
    if day is None:
        return "—"
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def counted(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"
