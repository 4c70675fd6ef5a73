"""The forms of the batch pages. They check shape only; the actions check the rules."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sutiao.cases.forms import ip_courts, procedure_choices
from sutiao.cases.record_forms import MultipleFileField
from sutiao.institutions.choices import IP_KIND_LABELS
from sutiao.institutions.models import MediationOrg
from sutiao.institutions.validators import validate_uscc
from sutiao.roster.models import Mediator

from .models import DeclaredConflict

TEXTAREA = forms.Textarea(attrs={"rows": 3})
KIND_CHOICES = [
    ("legal", _("Legal person")),
    ("other_org", _("Other organisation")),
    ("natural", _("Natural person")),
]


class UploadForm(forms.Form):
    court = forms.ModelChoiceField(label=_("Court"), queryset=ip_courts())
    title = forms.CharField(label=_("Title of the batch"), max_length=200)
    ip_kind = forms.ChoiceField(label=_("IP kind"), choices=list(IP_KIND_LABELS.items()))
    claims = forms.CharField(label=_("Claims shared by every case"), widget=TEXTAREA)
    description = forms.CharField(
        label=_("Summary of the dispute"), widget=TEXTAREA, required=False
    )
    applicant_name = forms.CharField(label=_("Rights holder"), max_length=100)
    applicant_kind = forms.ChoiceField(label=_("Kind of person"), choices=KIND_CHOICES)
    applicant_code = forms.CharField(
        label=_("Unified social credit code or ID number"), max_length=18
    )
    applicant_phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    as_agent = forms.BooleanField(label=_("I act as the rights holder's agent"), required=False)
    service_email = forms.EmailField(label=_("E-mail for service"), required=False)
    service_phone = forms.CharField(
        label=_("Mobile phone for service"), max_length=20, required=False
    )
    notice_acknowledged = forms.BooleanField(
        label=_(
            "I consent to online mediation and electronic service for every case of the "
            "batch, and have read the notice of rights and duties."
        ),
        required=False,
    )
    spreadsheet = forms.FileField(label=_("Spreadsheet of respondents (XLSX or CSV)"))
    evidence = MultipleFileField(label=_("Evidence shared by every case"), required=False)
    power_of_attorney = forms.FileField(label=_("Power of attorney"), required=False)


class DelegateForm(forms.Form):
    mediators = forms.ModelMultipleChoiceField(
        label=_("Mediators"),
        queryset=Mediator.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    org = forms.ModelChoiceField(
        label=_("Or one organisation"), queryset=MediationOrg.objects.all(), required=False
    )


class EntrustForm(DelegateForm):
    """The judge's: the same targets as delegation, and the procedure (as filed by default),
    which sets the entrusted period (15 or 7 days: OMR 24)."""

    procedure = forms.ChoiceField(label=_("Procedure"), choices=(), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["procedure"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("As filed")), *procedure_choices()]


class AssignForm(forms.Form):
    mediators = forms.ModelMultipleChoiceField(
        label=_("Mediators"), queryset=Mediator.objects.all(), widget=forms.CheckboxSelectMultiple
    )


CENT = Decimal("0.01")
AMOUNT_ERRORS = (
    "required",
    "invalid",
    "min_value",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
)


class AgreementsForm(forms.Form):
    """The shared template, and one amount per respondent (`amount_<case id>`, in yuan,
    prefilled with the amount claimed) for the cases `rows` ((case, respondent) pairs)."""

    facts = forms.CharField(label=_("Facts shared by every agreement"), widget=TEXTAREA)
    subject = forms.CharField(label=_("What the respondent pays for"), max_length=200)
    due_date = forms.DateField(label=_("Pay by"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, rows=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for case, respondent in self.rows:
            name = respondent.name if respondent else case.title
            wrong = gettext(
                "The amount for %(name)s must be a positive number of yuan with at most two "
                "decimals, for example 5000.50."
            ) % {"name": name}
            claimed = case.amount_fen
            label = gettext("Amount for %(name)s (yuan)") % {"name": name}
            self.fields[f"amount_{case.pk}"] = forms.DecimalField(
                label=label,
                widget=forms.NumberInput(attrs={"aria-label": label}),
                min_value=CENT,
                max_digits=14,
                decimal_places=2,
                initial=(Decimal(claimed) / 100).quantize(CENT) if claimed else None,
                error_messages={key: wrong for key in AMOUNT_ERRORS},
            )

    def amount_fields(self) -> list:
        """(case, respondent, bound amount field) for the page's table."""
        return [(c, r, self[f"amount_{c.pk}"]) for c, r in self.rows]

    def amounts(self) -> dict[int, int]:
        """{case id: fen} of the cleaned amounts."""
        return {c.pk: int(self.cleaned_data[f"amount_{c.pk}"] * 100) for c, _r in self.rows}


class ConflictForm(forms.Form):
    """A conflict the mediator declares (OMR 13; SIR 15)."""

    kind = forms.ChoiceField(label=_("Relation"), choices=DeclaredConflict.Kind.choices)
    name = forms.CharField(label=_("Name of the party, agent or organisation"), max_length=120)
    uscc = forms.CharField(
        label=_("Its unified social credit code (if an organisation)"),
        max_length=18,
        required=False,
        validators=[validate_uscc],
    )
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA, required=False)
