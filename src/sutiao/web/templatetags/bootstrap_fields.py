"""`{{ field|bs }}`: a form field's widget with Bootstrap's class for its kind (form-control,
form-select, form-check-input; check-group for a group of radio buttons or check boxes), and
`is-invalid` when the field has errors. The shared field
includes (web/form_fields.html, cases/_field.html) use it, so every form they render looks
the same without each form class setting widget attributes."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()


def widget_class(widget: forms.Widget) -> str:
    """Bootstrap's class for a widget; empty for one it has no style for (hidden inputs)."""
    if isinstance(widget, forms.HiddenInput):
        return ""
    if isinstance(widget, forms.RadioSelect):
        # CheckboxSelectMultiple too. Django puts the class on the group's <div> and on each
        # choice's <input>: sutiao.css lays out div.check-group, one choice a line.
        return "check-group"
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):  # SelectMultiple and NullBooleanSelect too
        return "form-select"
    if isinstance(widget, forms.MultiWidget):
        return "form-control"  # each part of a split date/time
    return "form-control"


@register.filter
def bs(field: BoundField) -> SafeString:
    widget = field.field.widget
    classes = [widget_class(widget), widget.attrs.get("class", "")]
    if field.errors:
        classes.append("is-invalid")
    return field.as_widget(attrs={"class": " ".join(c for c in classes if c)})
