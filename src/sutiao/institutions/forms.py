from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import COURT_SETTINGS, ORG_FIELDS
from .choices import IP_KIND_LABELS
from .models import Court, MediationOrg


class CourtSettingsForm(forms.ModelForm):
    class Meta:
        model = Court
        fields = list(COURT_SETTINGS)


class OrgForm(forms.ModelForm):
    """Region is typed as its six-digit code; the action checks it against GB/T 2260."""

    region = forms.CharField(
        label=_("Region code"),
        max_length=6,
        help_text=_("Six-digit administrative division code, e.g. 110108."),
    )
    ip_kinds = forms.MultipleChoiceField(
        label=_("Dispute kinds accepted"),
        required=False,
        choices=list(IP_KIND_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = MediationOrg
        fields = [f for f in ORG_FIELDS if f != "active"]  # the status has its own button

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["region"] = self.instance.region_id
            self.initial["ip_kinds"] = [k.pk for k in self.instance.ip_kinds.all()]

    def _post_clean(self):
        pass  # the action validates and saves; the form only carries the fields
