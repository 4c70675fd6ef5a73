from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sutiao.institutions.choices import IP_KIND_LABELS, OrgKind

from .models import ImportJob, Qualification, RosterMeasure

IP_KIND_CHOICES = list(IP_KIND_LABELS.items())


class MediatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("Resident identity number"), max_length=18, required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    region = forms.CharField(
        label=_("Region code"), max_length=6, help_text=_("Six digits, GB/T 2260, e.g. 110108.")
    )
    orgs = forms.ModelMultipleChoiceField(label=_("Organisations"), queryset=None, required=False)
    ip_kinds = forms.MultipleChoiceField(
        label=_("IP expertise"), choices=IP_KIND_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    technical_fields = forms.CharField(label=_("Technical fields"), max_length=200, required=False)
    languages = forms.CharField(label=_("Languages"), max_length=100, required=False)
    qualifications = forms.MultipleChoiceField(
        label=_("Qualifications"),
        choices=Qualification.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    charges_fees = forms.BooleanField(label=_("Charges fees"), required=False)
    fee_note = forms.CharField(label=_("Fee note"), max_length=200, required=False)
    bio = forms.CharField(
        label=_("Profile"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, orgs=None, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orgs"].queryset = orgs
        if creating:
            self.fields["id_number"].required = True
        else:
            del self.fields["id_number"]


class OrgForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgKind.choices)
    region = forms.CharField(label=_("Region code"), max_length=6)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    ip_kinds = forms.MultipleChoiceField(
        label=_("Dispute kinds accepted"),
        choices=IP_KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    charges_fees = forms.BooleanField(label=_("Charges fees"), required=False)
    fee_note = forms.CharField(label=_("Fee note"), max_length=200, required=False)
    contact_person = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class RecommendForm(forms.Form):
    court = forms.TypedChoiceField(label=_("Court"), coerce=int)
    note = forms.CharField(
        label=_("Note to the court"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, courts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].choices = [(c.pk, c.name) for c in courts]


class AdmitForm(forms.Form):
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=60)
    term_start = forms.DateField(
        label=_("Term starts"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    term_end = forms.DateField(
        label=_("Term ends"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    ip_specialty = forms.BooleanField(
        label=_("Also on the IP specialty roster"), required=False, initial=True
    )


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=RosterMeasure.Kind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX or CSV file"))
    kind = forms.ChoiceField(
        label=_("Contents"),
        choices=[("", _("Recognise from the columns")), *ImportJob.Kind.choices],
        required=False,
    )
