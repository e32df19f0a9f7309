"""Each document is rendered once per module and read back by several tests."""

from __future__ import annotations

import pytest

from clientdesk.reports import render_review
from tests.reports.pdfs import Pdf
from tests.reports.samples import empty_review, full_review


@pytest.fixture(scope="session")
def full_pdf() -> Pdf:
    return Pdf(render_review(full_review()))


@pytest.fixture(scope="session")
def empty_pdf() -> Pdf:
    return Pdf(render_review(empty_review()))
