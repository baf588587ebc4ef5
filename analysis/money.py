"""Numbers as a finance officer writes them: £1.2m, £850k, £700; 1,234."""
import math


def pounds(value, signed=False):
    """Pounds (not pence), rounded: £1.2m, £850k, £700. `signed` writes +£ or −£."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign = ""
    if signed and value > 0:
        sign = "+"
    if value < 0:
        sign = "−"
    size = abs(value)
    if size >= 1e6:
        text = f"£{size / 1e6:.1f}m"
    elif size >= 1e4:
        text = f"£{size / 1e3:.0f}k"
    else:
        text = f"£{size:,.0f}"
    return sign + text


def count(value, signed=False):
    """A whole number with thousands separators; `signed` writes + or −."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    rounded = int(round(value))
    text = f"{abs(rounded):,}"
    if rounded < 0:
        return "−" + text
    return ("+" if signed and rounded > 0 else "") + text


def percent(share):
    return "–" if share is None or (isinstance(share, float) and math.isnan(share)) else f"{100 * share:.0f}%"
