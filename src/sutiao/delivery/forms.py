"""Forms of the delivery pages; the actions check everything again."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ConsentMethod, PaperRoute, Preference, ServiceKind


class AddressForm(forms.Form):
    e_service = forms.BooleanField(label=_("I consent to electronic service"), required=False)
    inbox = forms.BooleanField(label=_("Platform inbox"), required=False, initial=True)
    email = forms.EmailField(label=_("E-mail for service"), required=False)
    phone = forms.CharField(label=_("Mobile phone for service"), required=False, max_length=20)
    method = forms.ChoiceField(
        label=_("How consent was given"),
        choices=ConsentMethod.choices,
        initial=ConsentMethod.EXPRESS,
    )


class RecordAddressForm(AddressForm):
    """A clerk records addresses the party gave otherwise."""

    e_service = forms.BooleanField(
        label=_("The party consents to electronic service"), required=False
    )
    confirmed = forms.BooleanField(
        label=_("The party confirmed these addresses (signed confirmation)"), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class PaperForm(forms.Form):
    route = forms.ChoiceField(label=_("Route"), choices=PaperRoute.choices)
    served_on = forms.DateField(
        label=_("Date served"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    receipt_number = forms.CharField(
        label=_("Receipt or tracking number"), required=False, max_length=60
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class PreferenceForm(forms.Form):
    notices = forms.ChoiceField(
        label=_("Notifications by e-mail"), choices=Preference.Notices.choices
    )
    sms_prompts = forms.BooleanField(
        label=_("SMS prompts to read served documents"), required=False
    )
    digest_hour = forms.IntegerField(
        label=_("Hour of the daily digest (Beijing time)"), min_value=0, max_value=23
    )


class ServeForm(forms.Form):
    """Serve a document registered for this case (its number) on some or all parties."""

    document = forms.ChoiceField(label=_("Document"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ServiceKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    recipients = forms.MultipleChoiceField(
        label=_("Recipients"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, documents=(), parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [
            (d.verify_code, f"{d.title} ({d.verify_code})") for d in documents
        ]
        self.fields["recipients"].choices = [(str(p.pk), str(p)) for p in parties]
        self.fields["recipients"].initial = [str(p.pk) for p in parties]
