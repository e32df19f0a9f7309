"""Contacts in and out of files: vCard and CSV (Google, Outlook, any other through a column mapping).
Pure: it turns bytes into ContactDrafts with their line numbers, and contacts into text; the services
layer validates, finds duplicates and writes."""
