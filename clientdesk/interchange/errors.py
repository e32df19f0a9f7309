"""The one error the interchange layer raises: a whole file that cannot be read."""

from __future__ import annotations

from clientdesk.domain.errors import ClientDeskError


class InterchangeError(ClientDeskError):
    """The file as a whole cannot be read (missing, empty, not text, an unknown encoding…); the
    message is a sentence for the user. A bad record is never this: it becomes a RejectedRecord."""
