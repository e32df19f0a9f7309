"""Contacts in and out of files: vCard and CSV (Google, Outlook, any other through a column mapping).
Pure: it turns bytes into ContactDrafts with their line numbers, and contacts into text; the services
layer validates, finds duplicates and writes."""

from clientdesk.interchange.csv_writer import write_google_csv
from clientdesk.interchange.errors import InterchangeError
from clientdesk.interchange.records import (ColumnMapping, ExportedContact, Field, ImportedContact, RejectedRecord,
                                            SourceFormat)
from clientdesk.interchange.source import Source, open_source
from clientdesk.interchange.vcard_writer import write_vcards

__all__ = [
    "ColumnMapping", "ExportedContact", "Field", "ImportedContact", "InterchangeError", "RejectedRecord", "Source",
    "SourceFormat", "open_source", "write_google_csv", "write_vcards",
]
