"""The client review PDF. The only package that imports reportlab; it imports nothing of ClientDesk but
the domain, and is called by the services.

    render_review(data) -> bytes            one review
    render_combined(reviews) -> bytes       several in one document, each counting its own pages
    write_atomically(path, pdf_bytes)       never leaves half a file
    StagedFile(path, pdf_bytes)             the same in two steps: commit() or discard()
    write_review(path, data)                both at once
"""

from clientdesk.reports import _settings  # noqa: F401 — first: reportlab's switches before its modules load
from clientdesk.reports.files import ReportNotWritten, StagedFile, write_atomically
from clientdesk.reports.fonts import Fonts, FontsNotFound, register_fonts
from clientdesk.reports.review_document import render_combined, render_review, write_review

__all__ = ["Fonts", "FontsNotFound", "ReportNotWritten", "StagedFile", "register_fonts", "render_combined",
           "render_review", "write_atomically", "write_review"]
