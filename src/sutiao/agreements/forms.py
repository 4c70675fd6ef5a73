"""The forms of the agreement pages: shape only; the actions check the rules."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sutiao.cases.models import Party
from sutiao.core.forms import yuan_field
from sutiao.institutions.models import MediationOrg

from . import otp, terms
from .actions import DraftIn, TermIn
from .models import OneTimeCode

TEXTAREA = forms.Textarea(attrs={"rows": 3})
TERM_ROWS = 6
MAX_TERM_ROWS = 60  # a bound on what a posted form may ask to be read
_ROW_KEY = re.compile(r"term-(\d+)-kind")
# The form's field for each of terms.FIELDS (the form asks yuan, the term keeps fen).
FORM_NAME = {"amount_fen": "amount"}


class DraftForm(forms.Form):
    facts = forms.CharField(label=_("Main facts of the dispute"), widget=TEXTAREA)
    issues = forms.CharField(label=_("Issues in dispute"), widget=TEXTAREA, required=False)
    performance = forms.CharField(
        label=_("How the agreement is performed"),
        widget=TEXTAREA,
        required=False,
        help_text=_("For example: by bank transfer to the applicant's account."),
    )
    place = forms.CharField(label=_("Place of signing"), max_length=60, required=False)


class TermForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of term"),
        required=False,
        choices=[("", _("— no term —")), *terms.KIND_CHOICES],
    )
    obligor = forms.TypedChoiceField(
        label=_("Who performs"), required=False, coerce=int, empty_value=None
    )
    beneficiary = forms.TypedChoiceField(
        label=_("For whom"), required=False, coerce=int, empty_value=None
    )
    subject = forms.CharField(
        label=_("What"),
        max_length=300,
        required=False,
        help_text=_("The act, the right or mark concerned, or the purpose of a payment."),
    )
    amount = yuan_field(_("Amount (yuan)"))
    due_date = forms.DateField(
        label=_("By (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    details = forms.CharField(label=_("Details or wording"), widget=TEXTAREA, required=False)

    def __init__(self, *args, parties: list[Party] = (), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *[(p.pk, f"{p.name}（{p.get_role_display()}）") for p in parties]]
        self.fields["obligor"].choices = choices
        self.fields["beneficiary"].choices = choices

    def term(self) -> TermIn | None:
        d = self.cleaned_data
        if not d.get("kind"):
            return None
        amount = d.get("amount")
        return TermIn(
            kind=d["kind"],
            obligor=d.get("obligor"),
            beneficiary=d.get("beneficiary"),
            subject=d.get("subject") or "",
            amount_fen=int(amount * 100) if amount is not None else None,
            due_date=d.get("due_date"),
            details=d.get("details") or "",
        )


def _posted_rows(data) -> int:
    """How many term rows a posted form has (a draft of many terms shows more than
    TERM_ROWS rows, and every one of them must be read back)."""
    found = [int(m[1]) for k in data or () if (m := _ROW_KEY.fullmatch(k))]
    return min(max(found, default=-1) + 1, MAX_TERM_ROWS)


def term_forms(data=None, *, parties, initial: list[dict] | None = None) -> list[TermForm]:
    initial = initial or []
    return [
        TermForm(
            data,
            prefix=f"term-{i}",
            parties=parties,
            initial=initial[i] if i < len(initial) else None,
        )
        for i in range(max(TERM_ROWS, len(initial) + 2, _posted_rows(data)))
    ]


def term_initial(agreement) -> list[dict]:
    out = []
    for t in agreement.terms.all():
        d = dict(t.data)
        if d.get("amount_fen") is not None:
            d["amount"] = Decimal(d.pop("amount_fen")) / 100
        out.append({"kind": t.kind, **d})
    return out


def draft_in(form: DraftForm, rows: list[TermForm]) -> DraftIn:
    d = form.cleaned_data
    return DraftIn(
        facts=d["facts"],
        issues=d["issues"],
        performance=d["performance"],
        place=d["place"],
        terms=[t for t in (r.term() for r in rows) if t],
    )


class CodeRequestForm(forms.Form):
    channel = forms.ChoiceField(label=_("Send the code to"), widget=forms.RadioSelect)

    def __init__(self, *args, channels: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(OneTimeCode.Channel.choices)
        self.fields["channel"].choices = [(c, f"{labels[c]} {dest}") for c, dest in channels]
        if channels:
            self.fields["channel"].initial = channels[0][0]


def code_request_form(request) -> CodeRequestForm:
    """The posted code request of a signing page, on the channels the user has."""
    return CodeRequestForm(request.POST, channels=otp.channels_of(request.user))


def sign_form(request) -> SignForm:
    return SignForm(request.POST)


class SignForm(forms.Form):
    code = forms.CharField(
        label=_("One-time code"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Why you refuse to sign"), widget=TEXTAREA)


def _service_phone(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        required=False,
        help_text=_("For service only: a phone number attaches nobody to the case."),
    )


def _domicile(label) -> forms.CharField:
    return forms.CharField(label=label, max_length=200, required=False)


class OfflineForm(forms.Form):
    org = forms.ModelChoiceField(
        label=_("Mediation organisation that presided"),
        queryset=MediationOrg.objects.filter(active=True),
    )
    title = forms.CharField(label=_("Title of the dispute"), max_length=200)
    ip_kind = forms.ChoiceField(label=_("IP kind"), choices=())
    signed_on = forms.DateField(
        label=_("Date the agreement was signed"), widget=forms.DateInput(attrs={"type": "date"})
    )
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=100)
    applicant_phone = _service_phone(_("Applicant's mobile phone"))
    applicant_address = _domicile(_("Applicant's domicile"))
    respondent_kind = forms.ChoiceField(label=_("The respondent is"), choices=Party.Kind.choices)
    respondent_name = forms.CharField(label=_("Respondent's name"), max_length=100)
    respondent_phone = _service_phone(_("Respondent's mobile phone"))
    respondent_address = _domicile(_("Respondent's domicile"))
    i_am = forms.ChoiceField(
        label=_("You are"),
        choices=[
            ("staff", _("Staff of the organisation")),
            ("applicant", _("The applicant")),
            ("respondent", _("The respondent")),
        ],
    )
    scan = forms.FileField(label=_("Scan of the signed agreement (PDF)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from sutiao.institutions.choices import IP_KIND_LABELS

        self.fields["ip_kind"].choices = [(k, v) for k, v in IP_KIND_LABELS.items()]
