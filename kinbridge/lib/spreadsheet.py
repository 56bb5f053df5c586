"""Helpers for cells that leave Kinbridge in CSV or spreadsheet files."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise text a spreadsheet would run as a formula (CSV injection).

    Numbers pass unchanged; text starting with = + - @ or a control character
    gets a leading apostrophe, which spreadsheets show as plain text.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
