"""Browser-facing protections: session cookie, CSRF tokens, security headers."""
