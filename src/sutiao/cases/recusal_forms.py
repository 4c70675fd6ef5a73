"""The forms of OMR 14 on the case page: a party's request for another mediator (or its
refusal of every mediator) and the decision of the organisation or the court."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import TEXTAREA


class ChangeRequestForm(forms.Form):
    """OMR 14: a party asks for another mediator."""

    reason = forms.CharField(
        label=_("Why you ask for another mediator"),
        widget=TEXTAREA,
        help_text=_("The organisation or the court decides (OMR 14)."),
    )
    refuse_all = forms.BooleanField(
        label=_("I refuse every mediator"),
        required=False,
        help_text=_("This refuses mediation: it ends, and the case goes back (OMR 14)."),
    )


class ChangeDecisionForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Grant: another mediator")), ("no", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Reason (needed to refuse)"), widget=TEXTAREA, required=False)
