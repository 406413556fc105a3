"""Second factors: TOTP apps and hardware tokens, recovery codes, WebAuthn."""
