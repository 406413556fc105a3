"""Identity provider: accounts, identity proofing, MFA, OpenID Connect and remote signing."""
