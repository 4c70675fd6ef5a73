"""The forms of the subsidy pages, in yuan (the actions take fen and check everything)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.institutions.models import Court, IPKind, IPOffice

from .actions import Terms
from .policies import owners_of

DATE = forms.DateInput(attrs={"type": "date"})


def _yuan(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, required=required)


def fen(value: Decimal | None) -> int | None:
    return None if value is None else int(value * 100)


def staff_of(user: Any) -> Any:
    offices, courts = owners_of(user)
    clerks = Q(memberships__court_id__in=courts) & Q(
        memberships__role__in=[Role.COURT_CLERK, Role.JUDGE]
    )
    return (
        User.objects.filter(memberships__active=True, is_active=True)
        .filter(Q(memberships__ip_office_id__in=offices) | clerks)
        .distinct()
        .order_by("real_name", "pk")
    )


class SchemeForm(forms.Form):
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("Valid to"), widget=DATE)
    settled = _yuan(_("Per settled case (yuan)"))
    failed = _yuan(_("Per failed case with documented mediation (yuan)"))
    cap_mediator = _yuan(_("Cap per mediator and period (yuan)"), required=False)
    cap_period = _yuan(_("Cap per period, whole sheet (yuan)"), required=False)
    reviewers = forms.ModelMultipleChoiceField(label=_("Reviewers"), queryset=User.objects.none())
    approvers = forms.ModelMultipleChoiceField(label=_("Approvers"), queryset=User.objects.none())
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = staff_of(user)
        self.fields["reviewers"].queryset = people  # type: ignore[attr-defined]
        self.fields["approvers"].queryset = people  # type: ignore[attr-defined]
        for kind in IPKind.objects.all():
            self.fields[f"settled_{kind.code}"] = _yuan(
                _("%(kind)s: per settled case (yuan)") % {"kind": kind}, required=False
            )
            self.fields[f"failed_{kind.code}"] = _yuan(
                _("%(kind)s: per documented failed case (yuan)") % {"kind": kind}, required=False
            )

    def terms(self) -> Terms:
        d = self.cleaned_data
        rates: dict[str, list[int]] = {}
        for kind in IPKind.objects.values_list("code", flat=True):
            settled, failed = d.get(f"settled_{kind}"), d.get(f"failed_{kind}")
            if settled is not None or failed is not None:
                rates[kind] = [
                    int((settled if settled is not None else d["settled"]) * 100),
                    int((failed if failed is not None else d["failed"]) * 100),
                ]
        return Terms(
            valid_from=d["valid_from"],
            valid_to=d["valid_to"],
            settled_fen=fen(d["settled"]),  # type: ignore[arg-type]
            failed_fen=fen(d["failed"]),  # type: ignore[arg-type]
            rates=rates,
            cap_mediator_fen=fen(d.get("cap_mediator")),
            cap_period_fen=fen(d.get("cap_period")),
            reviewers=list(d["reviewers"]),
            approvers=list(d["approvers"]),
            note=d.get("note", ""),
        )


class NewSchemeForm(SchemeForm):
    name = forms.CharField(label=_("Name of the scheme"), max_length=120)
    owner = forms.ChoiceField(label=_("Office or court"))
    field_order = ["name", "owner"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        offices, courts = owners_of(user)
        choices = [(f"office:{o.pk}", o.name) for o in IPOffice.objects.filter(pk__in=offices)]
        choices += [(f"court:{c.pk}", c.name) for c in Court.objects.filter(pk__in=courts)]
        self.fields["owner"].choices = choices  # type: ignore[attr-defined]
        self.order_fields(["name", "owner"])

    def chosen_owner(self) -> IPOffice | Court:
        kind, pk = self.cleaned_data["owner"].split(":")
        model = IPOffice if kind == "office" else Court
        return model.objects.get(pk=int(pk))


def initial_of(version: Any) -> dict[str, Any]:
    """A version's terms as the form's initial values (a change starts from the current)."""
    data: dict[str, Any] = {
        "valid_from": version.valid_from,
        "valid_to": version.valid_to,
        "settled": Decimal(version.settled_fen) / 100,
        "failed": Decimal(version.failed_fen) / 100,
        "reviewers": list(version.reviewers.all()),
        "approvers": list(version.approvers.all()),
    }
    if version.cap_mediator_fen is not None:
        data["cap_mediator"] = Decimal(version.cap_mediator_fen) / 100
    if version.cap_period_fen is not None:
        data["cap_period"] = Decimal(version.cap_period_fen) / 100
    for kind, (settled, failed) in version.rates.items():
        data[f"settled_{kind}"] = Decimal(settled) / 100
        data[f"failed_{kind}"] = Decimal(failed) / 100
    return data


class PeriodForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
