"""Tags for document templates (PDFs), not for pages."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def signature_slot(field_name: str, css_class: str = "") -> str:
    """Where the signature `field_name` goes: an empty signature field the size of this box
    is put there, and the signer's visible stamp fills it."""
    return format_html('<div class="sig-slot {}" id="sig-{}"></div>', css_class, field_name)
