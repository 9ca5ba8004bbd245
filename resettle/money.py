"""Money of projects in 万元 (10,000 yuan), as the monthly workbook, the dashboards, the project
register and its pages state it; amounts are stored in yuan."""

from decimal import Decimal

TEN_THOUSAND = Decimal(10000)
CENT = Decimal("0.01")


def to_wan(yuan) -> Decimal | None:
    """An amount in yuan (Decimal, int, or None) in 万元, rounded to two decimals (half up, as
    Excel rounds): 12246500 → Decimal("1224.65"). None for None."""
    if yuan is None:
        return None
    return (Decimal(yuan) / TEN_THOUSAND).quantize(CENT)
