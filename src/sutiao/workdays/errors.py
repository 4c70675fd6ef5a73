"""The one domain error of the calendar."""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext

from sutiao.core.errors import Conflict, ErrorCode


class CalendarError(ErrorCode):
    """The stable error codes of the calendar."""

    YEAR_MISSING = (
        "calendar.year_missing",
        "A deadline needs the official holiday schedule of a year not entered yet "
        "(`details.year`).",
    )


def _year_missing_message(year: int) -> str:
    return gettext(
        "The holiday schedule for %(year)s has not been entered yet; an administrator must "
        "add it before this period can be computed."
    ) % {"year": year}


_year_missing_lazy = lazy(_year_missing_message, str)


class CalendarIncomplete(Conflict):
    """A computation needs a day of a year whose official schedule is not loaded.

    Raised instead of guessing: a deadline computed from weekends alone would be wrong by
    a week around the Spring Festival or National Day.
    """

    code = CalendarError.YEAR_MISSING

    def __init__(self, year: int):
        self.year = year
        # Lazy, so that a page or API response renders it in the reader's language.
        super().__init__(_year_missing_lazy(year), year=year)
