"""Money as the pages show it: a project's money in 万元 (resettle.money)."""

from django import template

from resettle.indicators import shown
from resettle.money import to_wan

register = template.Library()


@register.filter
def wan(yuan) -> str:
    """`{{ investment.amount|wan }}`: an amount in yuan (Decimal, int or None) in 万元 with two
    decimals and thousands separators, as figures are printed elsewhere (12246500 → "1,224.65");
    "—" for none. The page states the unit in the column's header."""
    return shown("amount", to_wan(None if yuan == "" else yuan))
