"""Parameter types shared by the click commands."""

from __future__ import annotations

import datetime as dt

import click


class DateType(click.ParamType):
    name = "DATUM"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"'{value}' is geen datum; schrijf JJJJ-MM-DD", param, ctx)


DATE = DateType()
