"""What the portal needs to know besides core Settings: its public URL, keys and the IdP client."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from onedoor.config import Settings
from onedoor.errors import ConfigurationError

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Written by the operator (or the IdP's client registration) once the portal is a registered client.
OIDC_CLIENT_FILE = Path("portal") / "oidc-client.json"


@dataclass(frozen=True)
class OidcClient:
    """The portal as an OpenID Connect relying party (OIDC Core 3.1.2.1).

    Endpoints left empty are derived from ``issuer`` with the OneDoor provider's paths.
    """

    authorization_endpoint: str
    client_id: str
    redirect_uri: str
    scope: str = "openid"
    issuer: str = ""
    token_endpoint: str = ""
    userinfo_endpoint: str = ""
    jwks_uri: str = ""
    end_session_endpoint: str = ""
    post_logout_redirect_uri: str = ""

    def __post_init__(self) -> None:
        issuer = self.issuer or self.authorization_endpoint.removesuffix("/authorize")
        defaults = {
            "issuer": issuer,
            "token_endpoint": f"{issuer}/token",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "jwks_uri": f"{issuer}/jwks",
            "end_session_endpoint": f"{issuer}/logout",
        }
        for name, value in defaults.items():
            if not getattr(self, name):
                object.__setattr__(self, name, value)


@dataclass(frozen=True)
class PortalConfig:
    """Public URL, secret key material and the optional IdP client registration."""

    public_url: str
    secret: bytes = field(repr=False)
    idp_origin: str
    oidc: OidcClient | None = None

    def __post_init__(self) -> None:
        parts = urlsplit(self.public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigurationError(f"portal URL {self.public_url!r} is not an http(s) URL")
        if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
            raise ConfigurationError(
                f"portal URL {self.public_url!r} must use https (http is allowed on loopback only)"
            )
        if len(self.secret) < 8:
            raise ConfigurationError("portal secret (the key passphrase) must be at least 8 bytes")

    @property
    def secure_cookies(self) -> bool:
        """Cookies carry ``Secure`` whenever the portal is served over https."""
        return self.public_url.startswith("https://")

    def derive_key(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose only (RFC 5869 HKDF expand with ``info``)."""
        return HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None,
            info=f"onedoor portal {purpose} v1".encode(),
        ).derive(self.secret)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def load_oidc_client(settings: Settings) -> OidcClient | None:
    """The registration in ``<state>/portal/oidc-client.json``, or None while not registered."""
    path = settings.state_dir / OIDC_CLIENT_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text())
        optional = {
            name: str(data.get(name) or "")
            for name in (
                "issuer", "token_endpoint", "userinfo_endpoint", "jwks_uri",
                "end_session_endpoint", "post_logout_redirect_uri",
            )
        }
        return OidcClient(
            authorization_endpoint=str(data["authorization_endpoint"]),
            client_id=str(data["client_id"]),
            redirect_uri=str(
                data.get("redirect_uri") or settings.url_for("portal", "/login/callback")
            ),
            scope=str(data.get("scope", "openid")),
            **optional,
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigurationError(f"cannot read portal OIDC client file {path}: {exc}") from exc


def config_from_settings(settings: Settings) -> PortalConfig:
    """The portal's configuration; the secret is derived from the key passphrase."""
    return PortalConfig(
        public_url=settings.url_for("portal"),
        secret=settings.resolve_key_passphrase(create=True),
        idp_origin=origin_of(settings.url_for("idp")),
        oidc=load_oidc_client(settings),
    )
