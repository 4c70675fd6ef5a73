"""The court's acceptance fee of a property claim (诉讼费用交纳办法 13(1)), and the half a
case settled by mediation pays (the same Measures, 15; RULES §8). An IP dispute with an amount
claimed pays the property rate (13(3)); without one, 500–1,000 yuan a case, nothing shown.

Amounts are in fen (integers); each band's part is computed exactly and the total rounded
half up to the fen, as the Measures state the rates in percentages of the amount."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

YUAN = 100
# (upper bound of the band in yuan, rate in the band); the first band is a flat 50 yuan.
BANDS: tuple[tuple[int | None, Decimal], ...] = (
    (100_000, Decimal("0.025")),
    (200_000, Decimal("0.02")),
    (500_000, Decimal("0.015")),
    (1_000_000, Decimal("0.01")),
    (2_000_000, Decimal("0.009")),
    (5_000_000, Decimal("0.008")),
    (10_000_000, Decimal("0.007")),
    (20_000_000, Decimal("0.006")),
    (None, Decimal("0.005")),
)
FLAT_YUAN, FLAT_UP_TO_YUAN = 50, 10_000


def acceptance_fee_fen(amount_fen: int) -> int:
    """The fee of a claim of `amount_fen`: 50 yuan up to 10,000 yuan, then each band's rate
    on the part of the amount inside it."""
    if amount_fen < 0:
        raise ValueError(amount_fen)
    fee = Decimal(FLAT_YUAN * YUAN)
    low = FLAT_UP_TO_YUAN * YUAN
    for upper_yuan, rate in BANDS:
        if amount_fen <= low:
            break
        high = amount_fen if upper_yuan is None else min(amount_fen, upper_yuan * YUAN)
        fee += (high - low) * rate
        low = high
    return int(fee.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Saving:
    fee_fen: int  # the full acceptance fee
    half_fen: int  # what a case settled by mediation pays
    saved_fen: int  # the difference


def half_fee_saving(amount_fen: int | None) -> Saving | None:
    """What settling by mediation saves on the acceptance fee, for a claim with an amount."""
    if amount_fen is None or amount_fen <= 0:
        return None
    fee = acceptance_fee_fen(amount_fen)
    half = int((Decimal(fee) / 2).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return Saving(fee, half, fee - half)
