"""The one exception type users see.

Anything a user can get wrong (a bad date, an unknown body, a closed cycle)
raises :class:`UserError`; the CLI turns it into one error line and a non-zero
exit, the web layer into a 4xx. Everything else is a bug and keeps its traceback.
"""


class UserError(ValueError):
    """Bad input or a forbidden transition, explained in one line.

    ``field``: the form field the input came from, when there is one, so a page marks
    that field invalid (web.accounts_pages) without reading it out of the words.
    """

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(UserError):
    """A named thing (body, program, cycle, task…) does not exist."""


class Conflict(UserError):
    """The request contradicts the current state (e.g. a cycle opened twice)."""
