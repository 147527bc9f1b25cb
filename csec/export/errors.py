"""The one error an export reports: a sentence saying what cannot be written and why, printed as one line."""


class ExportError(Exception):
    """An export that cannot be written (an unusable output folder, a question an LMS cannot take)."""
