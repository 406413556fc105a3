"""Signing in to the portal through OneDoor's own OpenID Connect provider."""
