"""Errors the rules raise, worded for the person who has to act on them."""

from __future__ import annotations

from dataclasses import dataclass


class ClientDeskError(Exception):
    """Base for every error whose message is meant to be shown to a user as it is."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One invalid field: `field` names it the way forms and the CLI do ("phones[1]", "emails[0]")."""

    field: str
    message: str


class InvalidInput(ClientDeskError):
    """Every problem found in one submitted form, so all of them can be shown at once."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))

    def sentence(self) -> str:
        """The problems' messages alone, for a place that already shows which record or field it is."""
        return " ".join(problem.message for problem in self.problems)


class InvalidContact(InvalidInput):
    pass


class NotFound(ClientDeskError):
    pass


class AmbiguousContact(ClientDeskError):
    """A name that fits several contacts (or none): the candidates are listed so the user can pick an id."""

    def __init__(self, text: str, candidates: list[tuple[int, str]]):
        self.candidates = candidates
        if candidates:
            listed = "; ".join(f"{cid}: {name}" for cid, name in candidates)
            super().__init__(f"“{text}” matches {len(candidates)} contacts ({listed}); give the id instead.")
        else:
            super().__init__(f"No contact matches “{text}”; give an id, an email address or a name.")
