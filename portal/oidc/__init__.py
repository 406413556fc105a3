"""The portal as an OpenID Connect relying party of OneDoor's own identity provider."""
