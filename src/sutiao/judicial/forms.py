"""The forms of the judicial pages: shape only; the actions check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import DismissalGround, ObjectionState, Outcome, RefusalGround

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ApplyForm(forms.Form):
    court = forms.TypedChoiceField(label=_("Court"), coerce=int, widget=forms.RadioSelect)
    subject_matter_address = forms.CharField(
        max_length=200, required=False, widget=forms.HiddenInput
    )
    contact_phone = forms.CharField(label=_("Your contact phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Your domicile"), max_length=200, required=False)
    statement = forms.CharField(
        label=_("Statement"),
        widget=TEXTAREA,
        required=False,
        initial=_(
            "I apply voluntarily for confirmation of the agreement; its content is true "
            "and does not harm the interests of the state, the public or others."
        ),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].choices = [
            (c.court.pk, f"{c.court.name} — {c.reason}") for c in candidates
        ]
        if len(candidates) == 1:
            self.fields["court"].initial = candidates[0].court.pk


class PartForm(forms.Form):
    contact_phone = forms.CharField(label=_("Your contact phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Your domicile"), max_length=200, required=False)
    statement = ApplyForm.base_fields["statement"]


class SupplementRequestForm(forms.Form):
    items = forms.CharField(label=_("What to supplement"), widget=TEXTAREA)
    days = forms.IntegerField(label=_("Days to supplement"), min_value=1, max_value=30, initial=7)


class SupplementForm(forms.Form):
    answer = forms.CharField(label=_("What you supplement"), widget=TEXTAREA)


class QuestioningForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("Place or online room"), max_length=200)
    notes = forms.CharField(label=_("Notes"), widget=TEXTAREA, required=False)


class RulingForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    ground = forms.TypedChoiceField(
        label=_("Ground for dismissal (CPL-I 358)"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—"), *DismissalGround.choices],
    )
    reasoning = forms.CharField(label=_("Reasoning (optional)"), widget=TEXTAREA, required=False)


class RefusalForm(forms.Form):
    ground = forms.TypedChoiceField(
        label=_("Ground for refusing to accept (CPL-I 355)"),
        coerce=int,
        choices=RefusalGround.choices,
        widget=forms.RadioSelect,
    )
    reasoning = forms.CharField(label=_("Reasoning (optional)"), widget=TEXTAREA, required=False)


class ObjectionReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (ObjectionState.UPHELD, ObjectionState.UPHELD.label),
            (ObjectionState.DISMISSED, ObjectionState.DISMISSED.label),
        ],
        widget=forms.RadioSelect,
    )
    reasoning = forms.CharField(label=_("Reasons"), widget=TEXTAREA)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA)


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("Your objection"), widget=TEXTAREA)


class MediationDocumentForm(forms.Form):
    claims = forms.CharField(label=_("Claims"), widget=TEXTAREA)
    facts = forms.CharField(label=_("Facts"), widget=TEXTAREA)
    result = forms.CharField(
        label=_("Result of mediation"), widget=forms.Textarea(attrs={"rows": 6})
    )
    clerk_name = forms.CharField(label=_("Clerk"), max_length=50)
