"""Cells a spreadsheet will not run: the one formula-neutralising rule of every CSV and XLSX export."""

# A spreadsheet reads a cell starting with one of these as a formula (or as DDE, via tab/CR tricks).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix a text that a spreadsheet would run as a formula with an apostrophe; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
