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


# Survey, complaints, scoring schemes, commendations and warnings -------------------------

SCALE = [(i, str(i)) for i in range(1, 6)]


class SurveyForm(forms.Form):
    fair = forms.TypedChoiceField(
        label=_("The process was fair"), choices=SCALE, coerce=int, widget=forms.RadioSelect
    )
    respect = forms.TypedChoiceField(
        label=_("I was treated with respect"), choices=SCALE, coerce=int, widget=forms.RadioSelect
    )
    understood = forms.TypedChoiceField(
        label=_("I understood the outcome"), choices=SCALE, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=1000, widget=forms.Textarea
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea)


def owner_choices(owners: list) -> list[tuple[str, str]]:
    return [(f"{type(o).__name__}:{o.pk}", str(o)) for o in owners]


def chosen(owners: list, value: str):
    return next((o for o in owners if f"{type(o).__name__}:{o.pk}" == value), None)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    owner = forms.ChoiceField(label=_("On behalf of"))
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, owners: list, **kwargs):
        from .models import NoteKind

        super().__init__(*args, **kwargs)
        self.owners = owners
        self.fields["kind"].choices = NoteKind.choices  # type: ignore[attr-defined]
        self.fields["owner"].choices = owner_choices(owners)  # type: ignore[attr-defined]


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    owner = forms.ChoiceField(label=_("Office or court"))

    def __init__(self, *args, owners: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = owners
        self.fields["owner"].choices = owner_choices(owners)  # type: ignore[attr-defined]


class VersionForm(forms.Form):
    """The period and, per indicator of the registry, a weight (empty: not used) and a
    threshold."""

    period = forms.ChoiceField(label=_("Period scored"))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        from .models import Period
        from .scoring import INDICATORS

        super().__init__(*args, **kwargs)
        self.fields["period"].choices = Period.choices
        for code, ind in INDICATORS.items():
            self.fields[f"w_{code}"] = forms.IntegerField(
                label=_("%(name)s: weight") % {"name": ind.label}, required=False, min_value=1
            )
            self.fields[f"t_{code}"] = forms.DecimalField(
                label=_("%(name)s: threshold") % {"name": ind.label}, required=False, min_value=0
            )

    def indicators(self) -> list[dict]:
        from .scoring import INDICATORS

        d = self.cleaned_data
        return [
            {"code": c, "weight": d[f"w_{c}"], "threshold": float(d[f"t_{c}"] or 0)}
            for c in INDICATORS
            if d.get(f"w_{c}")
        ]
