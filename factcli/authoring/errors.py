"""The one error the authoring commands report: a sentence for the user, and no traceback."""


class AuthoringError(Exception):
    """Something the user asked for cannot be done as asked; the message says why and what to do."""
