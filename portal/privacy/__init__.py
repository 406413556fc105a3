"""The data-protection officer's console: search, export and verify the access log."""
