from django import template

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """Fen shown as yuan with two decimals (money is stored in fen)."""
    if fen is None:
        return "—"
    return f"{fen / 100:,.2f}"
