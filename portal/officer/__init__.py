"""The centre officer's console: find and verify a citizen, register a birth in one screen."""
