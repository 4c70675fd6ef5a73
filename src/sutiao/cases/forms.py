"""The forms of the case pages. They check shape only; the actions check the rules."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sutiao.core.forms import yuan_field
from sutiao.institutions.choices import IP_KIND_LABELS
from sutiao.institutions.models import Court, IPKind, MediationOrg
from sutiao.roster import queries as roster
from sutiao.roster.models import Mediator
from sutiao.workdays.periods import RULES

from .agent_forms import ApplicantAgentFields
from .choices import EndReason, Procedure
from .models import FiledCase, Party
from .record_forms import (
    TEXTAREA,
)
from .record_forms import (  # the record forms, where the case pages have always found them
    DisclosureForm as DisclosureForm,
)
from .record_forms import (
    IdentityCheckForm as IdentityCheckForm,
)
from .record_forms import (
    MessageForm as MessageForm,
)
from .record_forms import (
    MultipleFileField as MultipleFileField,
)
from .record_forms import (
    TranscriptForm as TranscriptForm,
)
from .record_forms import (
    UndisputedFactsForm as UndisputedFactsForm,
)
from .record_forms import (
    UploadForm as UploadForm,
)


def ip_courts():
    """Courts that hear IP disputes: an IP court, an IP tribunal, or IP kinds in jurisdiction."""
    return (
        Court.objects.filter(active=True)
        .filter(Q(is_ip_court=True) | Q(has_ip_tribunal=True) | Q(ip_kinds__isnull=False))
        .distinct()
        .order_by("region_id", "name")
    )


def procedure_choices():
    simple = RULES["mediation_entrusted_simple"].days
    ordinary = RULES["mediation_entrusted_ordinary"].days
    return [
        (
            Procedure.ORDINARY,
            _("Ordinary procedure — %(days)s days to mediate") % {"days": ordinary},
        ),
        (Procedure.SIMPLE, _("Simple procedure — %(days)s days to mediate") % {"days": simple}),
    ]


def target_choices(court: Court | list[Court]) -> list:
    """Organisations and mediators on the roster of `court` (or of a court above it)."""
    courts = court if isinstance(court, list) else [court]
    orgs, mediators = {}, {}
    for c in courts:
        eligible = roster.eligible_for(c)
        orgs.update({o.pk: o.name for o in eligible.orgs.order_by("name")})
        mediators.update({m.pk: m.name for m in eligible.mediators.order_by("name")})
    return [
        ("", _("Choose…")),
        (_("Mediation organisations"), [(f"org:{pk}", name) for pk, name in orgs.items()]),
        (_("Mediators"), [(f"mediator:{pk}", name) for pk, name in mediators.items()]),
    ]


def split_target(value: str) -> dict:
    """ "org:3" → {"org": MediationOrg 3}; "mediator:5" → {"mediator": Mediator 5}."""
    kind, _sep, pk = (value or "").partition(":")
    if kind == "org":
        return {"org": MediationOrg.objects.filter(pk=pk).first()}
    if kind == "mediator":
        return {"mediator": Mediator.objects.filter(pk=pk).first()}
    return {}


# Application ---------------------------------------------------------------------------


class ConsentForm(forms.Form):
    """A party's consent (OMR 4, 8) to online mediation, the electronic-service address given
    or refused, and the notice of rights and duties acknowledged (SIR 14). On the case page a
    second button ("refuse") refuses mediation."""

    consents_online = forms.BooleanField(
        label=_("I agree to mediate online on this platform"), required=False
    )
    notice_acknowledged = forms.BooleanField(
        label=_("I have read the notice of rights and duties"), required=False
    )
    consents_e_service = forms.BooleanField(
        label=_("I agree that documents are served on me electronically"), required=False
    )
    service_email = forms.EmailField(label=_("E-mail for service"), required=False)
    service_phone = forms.CharField(
        label=_("Mobile phone for service"), max_length=20, required=False
    )


class ApplyForm(ApplicantAgentFields, ConsentForm):
    """The application; the applicant gives its consent with it (the fields of ConsentForm)."""

    court = forms.ModelChoiceField(
        label=_("Court"),
        queryset=Court.objects.none(),
        required=False,
        empty_label=_("— not to a court —"),
        help_text=_(
            "A court with IP jurisdiction; it sends the dispute to a mediator before filing."
        ),
    )
    org = forms.ModelChoiceField(
        label=_("Or directly to a mediation organisation"),
        queryset=MediationOrg.objects.none(),
        required=False,
        empty_label=_("— not directly to an organisation —"),
    )
    title = forms.CharField(
        label=_("Title of the dispute"),
        max_length=200,
        help_text=_("For example: A Co. v. B Co., trademark infringement."),
    )
    ip_kind = forms.ChoiceField(label=_("IP kind"), choices=())
    right_number = forms.CharField(
        label=_("Registration number of the right"), max_length=60, required=False
    )
    claims = forms.CharField(label=_("Claims"), widget=TEXTAREA)
    amount = yuan_field(_("Amount claimed (yuan)"))
    description = forms.CharField(
        label=_("Summary of the dispute"), widget=TEXTAREA, required=False
    )

    applicant_kind = forms.ChoiceField(label=_("The applicant is"), choices=Party.Kind.choices)
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=100)
    applicant_id = forms.CharField(
        label=_("Applicant's identity number or unified social credit code"), max_length=18
    )
    applicant_phone = forms.CharField(label=_("Applicant's mobile phone"), max_length=20)
    applicant_representative = forms.CharField(
        label=_("Legal representative or principal of the applicant"),
        max_length=100,
        required=False,
        help_text=_("For a legal person or other organisation (CPL 51)."),
    )
    as_agent = forms.BooleanField(
        label=_("I apply as the applicant's agent"),
        required=False,
        help_text=_("Then upload the power of attorney."),
    )
    power_of_attorney = forms.FileField(label=_("Power of attorney"), required=False)
    respondent_kind = forms.ChoiceField(label=_("The respondent is"), choices=Party.Kind.choices)
    respondent_name = forms.CharField(label=_("Respondent's name"), max_length=100)
    respondent_id = forms.CharField(
        label=_("Respondent's identity number or unified social credit code"),
        max_length=18,
        required=False,
    )
    respondent_phone = forms.CharField(
        label=_("Respondent's mobile phone"), max_length=20, required=False
    )
    respondent_representative = forms.CharField(
        label=_("Legal representative or principal of the respondent"),
        max_length=100,
        required=False,
        help_text=_("For a legal person or other organisation (CPL 51)."),
    )
    respondent_email = forms.EmailField(label=_("Respondent's e-mail"), required=False)

    evidence = MultipleFileField(
        label=_("Evidence"),
        required=False,
        help_text=_("PDF, images or office documents; you can add more later."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = ip_courts()
        self.fields["org"].queryset = MediationOrg.objects.filter(active=True).order_by("name")
        self.fields["ip_kind"].choices = [(k.code, str(k)) for k in IPKind.objects.all()]

    def amount_fen(self) -> int | None:
        amount = self.cleaned_data.get("amount")
        return None if amount is None else int(amount * 100)


# Fields of the action that map to differently named form fields.
APPLY_FIELD_NAMES = {
    "amount_fen": "amount",
    "applicant.name": "applicant_name",
    "applicant.id_number": "applicant_id",
    "applicant.uscc": "applicant_id",
    "applicant.phone": "applicant_phone",
    "respondents": "respondent_name",
    "respondents.0.name": "respondent_name",
    "respondents.0.id_number": "respondent_id",
    "respondents.0.uscc": "respondent_id",
    "respondents.0.phone": "respondent_phone",
    "respondents.0.email": "respondent_email",
}


class StepForm(forms.Form):
    """A step without fields: the button alone."""

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def arguments(self) -> dict:
        """Keyword arguments for the action, from the cleaned data."""
        return {}


class ReasonStepForm(StepForm):
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA)

    def arguments(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}


class OptionalReasonStepForm(ReasonStepForm):
    reason = forms.CharField(label=_("Reason (optional)"), widget=TEXTAREA, required=False)


class TargetStepForm(StepForm):
    """Delegate or entrust: one organisation or one mediator on the court's roster."""

    target = forms.ChoiceField(label=_("Send to"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = target_choices(self.case.court)

    def arguments(self) -> dict:
        return split_target(self.cleaned_data["target"])


class AssignStepForm(StepForm):
    mediator = forms.ModelChoiceField(label=_("Mediator"), queryset=Mediator.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = Mediator.objects.filter(
            orgs=self.case.org_id, status=Mediator.Status.ACTIVE
        ).order_by("name")

    def arguments(self) -> dict:
        return {"mediator": self.cleaned_data["mediator"]}


class ExtendStepForm(StepForm):
    consenting_parties = forms.MultipleChoiceField(
        label=_("Parties who consent to the extension"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Every party must consent (OMR 24)."),
    )
    days = forms.IntegerField(
        label=_("Days"),
        min_value=1,
        max_value=90,
        initial=30,
        help_text=_(
            "The days the parties agreed; an entrusted case 30 days at most, not counted in "
            "the trial period."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consenting_parties"].choices = [
            (str(p.pk), str(p)) for p in self.case.parties.all()
        ]

    def arguments(self) -> dict:
        return {
            "consenting_parties": [int(v) for v in self.cleaned_data["consenting_parties"]],
            "days": self.cleaned_data["days"],
        }


class FailureReportForm(StepForm):
    """OMR 21: what the mediator records when mediation fails (after `end`, or later for a
    case the period ended or a party's refusal of every mediator ended)."""

    course = forms.CharField(label=_("Course of mediation"), widget=TEXTAREA)
    reasons = forms.CharField(label=_("Why no agreement was reached"), widget=TEXTAREA)
    cost_conduct = forms.CharField(
        label=_("Conduct of a party that increased another's litigation costs"),
        widget=TEXTAREA,
        required=False,
    )
    notes_for_court = forms.CharField(
        label=_("What the court should know"), widget=TEXTAREA, required=False
    )

    def arguments(self) -> dict:
        return dict(self.cleaned_data)


class EndStepForm(FailureReportForm):
    field_order = ["reason"]
    reason = forms.TypedChoiceField(
        label=_("Why mediation ended (OMR 25)"),
        coerce=int,
        choices=[(v, label) for v, label in EndReason.choices if v != EndReason.AGREEMENT],
    )


class PushStepForm(StepForm):
    court = forms.ModelChoiceField(label=_("Court"), queryset=Court.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = ip_courts()

    def arguments(self) -> dict:
        return {"court": self.cleaned_data["court"]}


STEP_FORMS: dict[str, type[StepForm]] = {
    "withdraw": OptionalReasonStepForm,
    "delegate": TargetStepForm,
    "entrust": TargetStepForm,
    "assign": AssignStepForm,
    "decline": ReasonStepForm,
    "recuse": ReasonStepForm,
    "extend": ExtendStepForm,
    "pause": ReasonStepForm,
    "suspend_sham": ReasonStepForm,
    "clear_sham": ReasonStepForm,
    "confirm_sham": ReasonStepForm,
    "refuse_mediation": ReasonStepForm,
    "end": EndStepForm,
    "push_to_court": PushStepForm,
}


def step_form(name: str, case, data=None) -> StepForm:
    return STEP_FORMS.get(name, StepForm)(data, case=case, prefix=name)


# The court's docket --------------------------------------------------------------------


class RegisterFiledCaseForm(forms.Form):
    prefix = "register"
    court = forms.ModelChoiceField(label=_("Court"), queryset=Court.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    procedure = forms.ChoiceField(label=_("Procedure"), choices=())
    ip_kind = forms.ChoiceField(label=_("IP kind"), choices=())
    applicant_kind = forms.ChoiceField(
        label=_("The plaintiff / applicant is"), choices=Party.Kind.choices
    )
    applicant_name = forms.CharField(label=_("Plaintiff / applicant"), max_length=100)
    respondent_kind = forms.ChoiceField(
        label=_("The defendant / respondent is"), choices=Party.Kind.choices
    )
    respondent_name = forms.CharField(label=_("Defendant / respondent"), max_length=100)

    def __init__(self, *args, courts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = Court.objects.filter(pk__in=[c.pk for c in courts])
        if len(courts) == 1:
            self.fields["court"].initial = courts[0].pk
            self.fields["court"].widget = forms.HiddenInput()
        self.fields["procedure"].choices = procedure_choices()
        self.fields["ip_kind"].choices = [(k.code, str(k)) for k in IPKind.objects.all()]

    def parties(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {"role": role, "kind": d[f"{prefix}_kind"], "name": d[f"{prefix}_name"]}
            for role, prefix in (("applicant", "applicant"), ("respondent", "respondent"))
        ]


class EntrustForm(forms.Form):
    prefix = "entrust"
    filed_case = forms.ModelChoiceField(label=_("Filed case"), queryset=FiledCase.objects.none())
    procedure = forms.ChoiceField(label=_("Procedure"), choices=(), required=False)
    target = forms.ChoiceField(label=_("Entrust to"), choices=())

    def __init__(self, *args, filed_cases=None, courts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filed_case"].queryset = filed_cases
        self.fields["filed_case"].label_from_instance = lambda fc: f"{fc.number} {fc.title}"
        self.fields["procedure"].choices = [("", _("As filed")), *procedure_choices()]
        self.fields["target"].choices = target_choices(list(courts))


class MediatorChoiceForm(forms.Form):
    """A party's choice among the mediators the competent court may use (OMR 9–10)."""

    mediator = forms.ModelChoiceField(label=_("Mediator"), queryset=Mediator.objects.none())

    def __init__(self, *args, court=None, **kwargs):
        super().__init__(*args, **kwargs)
        if court is not None:
            self.fields["mediator"].queryset = roster.eligible_for(court).mediators.order_by("name")


class DraftForm(forms.Form):
    """The dispute of a saved application, editable until it is submitted."""

    title = forms.CharField(label=_("Title"), max_length=200)
    ip_kind = forms.ChoiceField(
        label=_("IP kind"), required=False, choices=[("", "—"), *IP_KIND_LABELS.items()]
    )
    right_number = forms.CharField(
        label=_("Registration number of the right"), max_length=60, required=False
    )
    claims = forms.CharField(
        label=_("Claims"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    amount_yuan = yuan_field(_("Amount claimed (yuan)"))
    description = forms.CharField(
        label=_("Summary of the dispute"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def data_for_action(self) -> dict:
        d = dict(self.cleaned_data)
        yuan = d.pop("amount_yuan")
        d["amount_fen"] = None if yuan is None else int(yuan * 100)
        return d
