"""Small builders shared by the tests."""

from __future__ import annotations

from clientdesk.domain.contacts import ContactDraft


def person(given: str, family: str = "", **fields) -> ContactDraft:
    return ContactDraft(given_name=given, family_name=family, **fields)


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command line in this process: (exit status, standard output, standard error)."""
    from clientdesk.app import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err
