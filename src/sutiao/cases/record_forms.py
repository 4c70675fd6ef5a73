"""The forms of the records of mediation: files, messages, session transcripts, identity
checks and disclosures. They check shape only; the actions check the rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sutiao.core.forms import MultipleFileField as MultipleFileField

from .models import CaseFile, IdentityCheck

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class UploadForm(forms.Form):
    # The posted field is "files"; it shadows Form.files (the uploads) for mypy only.
    files = MultipleFileField(label=_("Files"))  # type: ignore[assignment]
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseFile.Kind.choices)

    def __init__(self, *args, kinds: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds:
            field = cast(forms.ChoiceField, self.fields["kind"])
            field.choices = [c for c in CaseFile.Kind.choices if c[0] in kinds]


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=TEXTAREA)
    thread = forms.ChoiceField(label=_("To"), choices=(), required=False)

    def __init__(self, *args, threads: Sequence[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["thread"])
        field.choices = [("", _("Everyone in the case")), *threads]
        if not threads:
            del self.fields["thread"]


class TranscriptForm(forms.Form):
    session_date = forms.DateField(
        label=_("Session date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_("Record of the session"), widget=forms.Textarea(attrs={"rows": 5})
    )
    undisputed_facts = forms.CharField(label=_("Undisputed facts"), widget=TEXTAREA, required=False)


class UndisputedFactsForm(forms.Form):
    """OMR 22: the undisputed facts of a session whose recording stands as its record."""

    undisputed_facts = forms.CharField(label=_("Undisputed facts"), widget=TEXTAREA)


class IdentityCheckForm(forms.Form):
    party = forms.ChoiceField(label=_("Participant"), choices=())
    session_date = forms.DateField(
        label=_("Session date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    method = forms.ChoiceField(
        label=_("How the identity was verified"), choices=IdentityCheck.Method.choices
    )

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(str(p.pk), str(p)) for p in parties]


class DisclosureForm(forms.Form):
    statement = forms.CharField(
        label=_("What you disclose"),
        widget=TEXTAREA,
        help_text=_(
            "A relationship with a party or agent, or an interest in the dispute (OMR 13)."
        ),
    )


# Lifecycle steps -----------------------------------------------------------------------
