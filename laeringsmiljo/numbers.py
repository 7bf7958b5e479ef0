"""Points as this service writes them everywhere, pages, letters, exports' readable columns and
messages: two decimals with a decimal comma, «42,00» and «41,28». Templates use the filter
`poeng` of laeringsmiljo/templatetags/formats.py; Python code calls points()."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# For a sum not yet calculated, in a table cell.
MISSING = "–"


def points(value, *, missing=MISSING):
    """«42,00» for 42, «41,28» for 41.275 (half up, as one rounds by hand); `missing` for None
    or a value that is not a number. Negative points get a real minus sign, «−1,50»."""
    if value is None or value == "":
        return missing
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return missing
    text = f"{abs(number):.2f}".replace(".", ",")
    return f"−{text}" if number < 0 else text
