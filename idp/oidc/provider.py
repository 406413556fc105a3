"""The provider's configuration: issuer, endpoints, lifetimes, keys, clock and authenticator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from idp.oidc import acr
from idp.oidc.authenticator import Authenticator, UnconfiguredAuthenticator
from idp.oidc.keystore import KeyStore
from idp.oidc.replay import ReplayCache
from onedoor.config import Settings

Clock = Callable[[], datetime]

ENDPOINTS = {
    "authorization_endpoint": "/authorize",
    "token_endpoint": "/token",
    "userinfo_endpoint": "/userinfo",
    "jwks_uri": "/jwks",
    "end_session_endpoint": "/logout",
    "introspection_endpoint": "/introspect",
    "revocation_endpoint": "/revoke",
}
LOGIN_PATH = "/login"
SECOND_FACTOR_PATH = "/login/code"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Lifetimes:
    """Seconds each artefact lives; codes are short (OAuth 2.0 Security BCP 4.2)."""

    code: int = 60
    access_token: int = 600
    id_token: int = 3600
    refresh_token: int = 14 * 24 * 3600
    session: int = 12 * 3600
    interaction: int = 900
    client_assertion: int = 3600
    leeway: int = 30

    @property
    def longest_signed(self) -> int:
        return max(self.access_token, self.id_token)


@dataclass
class Provider:
    """Everything the endpoints share; build it with :func:`build_provider`."""

    issuer: str
    keys: KeyStore
    authenticator: Authenticator = field(default_factory=UnconfiguredAuthenticator)
    clock: Clock = utc_now
    lifetimes: Lifetimes = field(default_factory=Lifetimes)
    # Floor under every request's acr_values: with LOW, a password alone (ranked below LOW by
    # the accounts authenticator) never completes a login (SP 800-63B: MFA always).
    minimum_acr: str | None = None
    replay: ReplayCache = field(default_factory=ReplayCache)

    def required_acr(self, requested: str | None) -> str | None:
        return acr.stricter(requested, self.minimum_acr)

    def now(self) -> int:
        return int(self.clock().timestamp())

    def url(self, endpoint: str) -> str:
        """Absolute URL of a metadata endpoint name (``token_endpoint``) or a path."""
        return self.issuer + ENDPOINTS.get(endpoint, endpoint)

    @property
    def cookie_path(self) -> str:
        return urlsplit(self.issuer).path or "/"

    @property
    def secure_cookies(self) -> bool:
        return self.issuer.startswith("https://")


def build_provider(
    settings: Settings,
    *,
    authenticator: Authenticator | None = None,
    clock: Clock | None = None,
    lifetimes: Lifetimes | None = None,
    minimum_acr: str | None = None,
) -> Provider:
    """The provider for ``settings``: issuer is ``settings.url_for("idp")``."""
    lifetimes = lifetimes or Lifetimes()
    keys = KeyStore(
        settings.resolve_key_passphrase(create=True),
        publish_after_retirement=lifetimes.longest_signed + lifetimes.leeway,
    )
    return Provider(
        issuer=settings.url_for("idp"),
        keys=keys,
        authenticator=authenticator or UnconfiguredAuthenticator(),
        clock=clock or utc_now,
        lifetimes=lifetimes,
        minimum_acr=minimum_acr,
    )
