"""The forms of agents (CPL 61–62): naming one on the case page, and the fields any form that
describes an agent reads with `agent_in`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions.agents import AgentIn, authority_errors
from .models import Agent


def agent_in(d: dict, prefix: str = "") -> AgentIn:
    """The agent a form describes (its fields named `<prefix>kind`, `<prefix>scope` ...)."""
    return AgentIn(
        **{
            key: d.get(f"{prefix}{key}") or ""
            for key in (
                "name",
                "phone",
                "kind",
                "scope",
                "licence_number",
                "firm",
                "relationship",
                "email",
            )
        }
    )


class AgentForm(forms.Form):
    """A party names its agent (CPL 61–62) with the signed power of attorney."""

    name = forms.CharField(
        label=_("Agent's real name"),
        max_length=100,
        help_text=_(
            "As on the agent's account. An agent without an account is sent a link to "
            "register, verify their identity in this name and join."
        ),
    )
    phone = forms.CharField(label=_("Agent's mobile phone"), max_length=20)
    email = forms.EmailField(
        label=_("Agent's e-mail"),
        required=False,
        help_text=_("Optional: the invitation also goes there."),
    )
    kind = forms.ChoiceField(label=_("The agent is"), choices=Agent.Kind.choices)
    licence_number = forms.CharField(
        label=_("Practising licence number"),
        max_length=40,
        required=False,
        help_text=_("For a lawyer or basic-level legal service worker."),
    )
    firm = forms.CharField(
        label=_("Law firm or legal service office"), max_length=120, required=False
    )
    relationship = forms.CharField(
        label=_("Relationship to the party, or who recommends the agent"),
        max_length=120,
        required=False,
        help_text=_(
            "For a close relative, an employee, or a citizen recommended by a community, "
            "unit or organisation (CPL 61)."
        ),
    )
    scope = forms.ChoiceField(
        label=_("Scope of authority"),
        choices=Agent.Scope.choices,
        widget=forms.RadioSelect,
        initial=Agent.Scope.GENERAL,
        help_text=_(
            "Special authorisation is needed to admit, waive or change claims, settle, "
            "counterclaim or appeal: here, to sign the mediation agreement (CPL 62)."
        ),
    )
    power_of_attorney = forms.FileField(
        label=_("Power of attorney (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def agent_in(self) -> AgentIn:
        return agent_in(self.cleaned_data)


class ApplicantAgentFields(forms.Form):
    """Who an agent applying for its party is, and the scope (the application form's
    `as_agent` and `power_of_attorney` fields say whether it applies as one)."""

    agent_kind = forms.ChoiceField(
        label=_("As agent, I am"), choices=[("", "—"), *Agent.Kind.choices], required=False
    )
    agent_scope = forms.ChoiceField(
        label=_("Scope of authority"),
        choices=[("", "—"), *Agent.Scope.choices],
        required=False,
        help_text=_("Special authorisation is needed to sign the mediation agreement (CPL 62)."),
    )
    agent_licence_number = forms.CharField(
        label=_("Practising licence number"), max_length=40, required=False
    )
    agent_firm = forms.CharField(
        label=_("Law firm or legal service office"), max_length=120, required=False
    )
    agent_relationship = forms.CharField(
        label=_("Relationship to the party, or who recommends the agent"),
        max_length=120,
        required=False,
    )

    def clean(self):
        d = super().clean()
        if d.get("as_agent"):
            for key, messages in authority_errors(self.agent_in()).items():
                for message in messages:
                    self.add_error(f"agent_{key}", message)
            if not d.get("power_of_attorney"):
                self.add_error("power_of_attorney", _("Upload the signed power of attorney (PDF)."))
        return d

    def agent_in(self) -> AgentIn:
        """The applicant's agent (the user applying, `as_agent`): who they are, the scope."""
        return agent_in(self.cleaned_data, "agent_")
