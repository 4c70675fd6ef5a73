"""The casebook's forms: the draft, the review of changes, withdrawal, articles, search."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sutiao.cases.choices import Channel
from sutiao.institutions.models import IPKind

from .models import Basis, Change, Industry, Outcome


def _text(label, *, required: bool = True, rows: int = 5, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _choice(label, choices, *, required: bool = True):
    return forms.ChoiceField(label=label, choices=[("", "—"), *choices], required=required)


class TypicalCaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    facts = _text(_("Facts"))
    dispute = _text(_("Points in dispute"), rows=3)
    mediation = _text(_("How it was mediated"))
    result = _text(_("Result"), rows=3)
    commentary = _text(_("Commentary"), required=False)
    ip_kind = forms.ModelChoiceField(label=_("IP kind"), queryset=IPKind.objects.all())
    industry = _choice(_("Industry"), Industry.choices)
    outcome = _choice(_("Outcome"), Outcome.choices)
    channel = _choice(_("Channel"), Channel.choices)
    days_to_settle = forms.IntegerField(
        label=_("Days from acceptance to the end"), min_value=0, required=False
    )
    amount_yuan = forms.IntegerField(label=_("Amount agreed (yuan)"), min_value=0, required=False)
    persons = _text(
        _("Natural persons named in the text"),
        required=False,
        rows=2,
        help_text=_("Parties, agents, witnesses…, one a line: each becomes surname + 某."),
    )
    companies = _text(
        _("Organisations named in the text"), required=False, rows=2, help_text=_("One a line.")
    )
    anonymise_companies = forms.BooleanField(
        label=_("Anonymise company names too"), required=False, initial=True
    )
    basis = _choice(_("Ground for publication"), Basis.choices)
    basis_note = _text(
        _("Consent given, or the public interest"),
        rows=2,
        help_text=_(
            "Who consented and how (date, document), or why the public interest calls for it."
        ),
    )

    def data_for_action(self) -> dict:
        d = dict(self.cleaned_data)
        yuan = d.pop("amount_yuan", None)
        d["amount_fen"] = None if yuan is None else yuan * 100
        return d


class WithdrawForm(forms.Form):
    reason = _text(_("Why it is withdrawn"), rows=2)


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = _text(_("Text"), rows=12)
    ip_kind = forms.ModelChoiceField(
        label=_("IP kind"), queryset=IPKind.objects.all(), required=False
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search words"), required=False, max_length=200)
    ip_kind = forms.ModelChoiceField(
        label=_("IP kind"), queryset=IPKind.objects.all(), required=False
    )
    industry = _choice(_("Industry"), Industry.choices, required=False)
    outcome = _choice(_("Outcome"), Outcome.choices, required=False)
    channel = _choice(_("Channel"), Channel.choices, required=False)


DECISIONS = [
    (Change.Decision.ACCEPTED, _("Accept")),
    (Change.Decision.REJECTED, _("Reject: keep as written")),
]


def decisions_from(post) -> dict[int, str]:
    """{change id: decision} from the review form's radio buttons (change-<id>)."""
    out = {}
    for key, value in post.items():
        if key.startswith("change-") and key[7:].isdigit():
            out[int(key[7:])] = value
    return out
