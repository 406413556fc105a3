"""Bulk export and import of registry records as streamed XML (and CSV for persons)."""
