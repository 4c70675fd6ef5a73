"""The forms of training and recruitment pages (the actions check everything again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sutiao.core.forms import MultipleFileField
from sutiao.institutions.models import Court, IPKind, IPOffice, Region
from sutiao.roster.models import Qualification

from .models import Course

TEXTAREA = forms.Textarea(attrs={"rows": 4})
DATE = forms.DateInput(attrs={"type": "date"})


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    organiser_kind = forms.ChoiceField(label=_("Organiser"), choices=Course.Organiser.choices)
    court = forms.ModelChoiceField(
        label=_("Organising court"), queryset=Court.objects.none(), required=False
    )
    office = forms.ModelChoiceField(
        label=_("Organising IP office"), queryset=IPOffice.objects.none(), required=False
    )
    mode = forms.ChoiceField(label=_("Way of teaching"), choices=Course.Mode.choices)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    hours = forms.DecimalField(label=_("Hours"), max_digits=6, decimal_places=1)
    pre_joining = forms.BooleanField(label=_("Pre-joining training"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video = forms.FileField(label=_("Course video"), required=False)
    video_seconds = forms.IntegerField(
        label=_("Video length in seconds"), min_value=0, required=False
    )
    description = forms.CharField(label=_("Description"), widget=TEXTAREA, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["court"].queryset = Court.objects.filter(pk__in=user.court_ids())
            self.fields["office"].queryset = IPOffice.objects.filter(pk__in=user.ip_office_ids())


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))


class SignInForm(forms.Form):
    file = forms.FileField(label=_("Sign-in list (XLSX)"))


class CallForm(forms.Form):
    office = forms.ModelChoiceField(label=_("IP office"), queryset=IPOffice.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("What the office looks for"), widget=TEXTAREA, required=False)
    course = forms.ModelChoiceField(
        label=_("Pre-joining course"),
        queryset=Course.objects.filter(pre_joining=True),
        required=False,
    )
    is_open = forms.BooleanField(label=_("Open for applications"), required=False, initial=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["office"].queryset = IPOffice.objects.filter(pk__in=user.ip_office_ids())


class ApplicationForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("code"), to_field_name="code"
    )
    qualifications = forms.MultipleChoiceField(
        label=_("Qualifications"),
        choices=Qualification.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    ip_kinds = forms.ModelMultipleChoiceField(
        label=_("IP expertise"),
        queryset=IPKind.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    technical_fields = forms.CharField(label=_("Fields of expertise"), max_length=200)
    experience = forms.CharField(label=_("Experience"), widget=TEXTAREA)
    conflicts = forms.CharField(
        label=_("Conflicts of interest declared"),
        widget=TEXTAREA,
        required=False,
        help_text=_("Clients, employers or parties whose disputes you could not mediate."),
    )
    files = MultipleFileField(label=_("Supporting files"), required=False)  # type: ignore[assignment]

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        if office is not None and office.region_id and office.level != IPOffice.Level.NATIONAL:
            self.fields["region"].queryset = Region.objects.filter(
                code__startswith=office.region.prefix()
            ).order_by("code")


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=TEXTAREA)


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), widget=TEXTAREA)
    files = MultipleFileField(label=_("Supporting files"), required=False)  # type: ignore[assignment]
