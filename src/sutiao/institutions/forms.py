from django import forms

from .models import Court


class CourtSettingsForm(forms.ModelForm):
    class Meta:
        model = Court
        fields = ["case_number_code", "address", "phone"]
