from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Mode


def _when(label):
    return forms.DateTimeField(
        label=label, required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class TimesForm(forms.Form):
    start_1 = _when(_("First time: start"))
    end_1 = _when(_("First time: end"))
    start_2 = _when(_("Second time: start"))
    end_2 = _when(_("Second time: end"))

    def times(self) -> list[tuple]:
        d = self.cleaned_data
        return [
            (d[f"start_{i}"], d[f"end_{i}"])
            for i in (1, 2)
            if d.get(f"start_{i}") and d.get(f"end_{i}")
        ]


class ProposeForm(TimesForm):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class RescheduleForm(TimesForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    time = forms.IntegerField(required=False)
    note = forms.CharField(label=_("Which time would suit you?"), required=False)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=10)


class ModeForm(forms.Form):
    mode = forms.ChoiceField(label=_("Way of taking part"), choices=Mode.choices)


class JudgeForm(forms.Form):
    judge = forms.IntegerField(label=_("Judge"))
