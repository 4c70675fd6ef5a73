from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Report


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Report.Kind.choices)
    scope = forms.ChoiceField(label=_("Scope"))
    period = forms.ChoiceField(label=_("Period"), choices=Report.Period.choices)
    start = forms.DateField(
        label=_("First day of the period"), widget=forms.DateInput({"type": "date"})
    )

    def __init__(self, *args, scopes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["scope"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = scopes


class CommentaryForm(forms.Form):
    commentary = forms.CharField(
        label=_("Commentary"), widget=forms.Textarea({"rows": 10}), max_length=20_000
    )
