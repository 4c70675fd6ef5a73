from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_DAYS = 3 * 366


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve months, to today: this month so far and the eleven before it. Whole
    months, so the pages read the monthly roll-up (queries.whole_months)."""
    today = today or timezone.localdate()
    year, month = divmod(today.month - 12, 12)
    return dt.date(today.year + year, month + 1, 1), today


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def clean(self):
        data = super().clean()
        first, last = default_period()
        start, end = data.get("start") or first, data.get("end") or last
        if start > end:
            raise forms.ValidationError(_("The period must start before it ends."))
        if (end - start).days > MAX_DAYS:
            raise forms.ValidationError(_("A period covers at most three years."))
        data["start"], data["end"] = start, end
        return data
