"""OpenID Connect / OAuth 2 provider: discovery, JWKS, code + PKCE, tokens, logout.

Plug accounts and MFA in through :class:`Authenticator`; mount with :func:`install`.
"""

from __future__ import annotations

from fastapi import FastAPI

from idp.oidc.authenticator import AuthenticationFailedError, Authenticator, AuthResult
from idp.oidc.provider import Clock, Lifetimes, Provider, build_provider
from onedoor.runtime import Runtime

__all__ = [
    "AuthResult",
    "AuthenticationFailedError",
    "Authenticator",
    "Clock",
    "Lifetimes",
    "Provider",
    "build_provider",
    "install",
]


def install(
    app: FastAPI,
    runtime: Runtime,
    *,
    authenticator: Authenticator | None = None,
    clock: Clock | None = None,
    lifetimes: Lifetimes | None = None,
    minimum_acr: str | None = None,
) -> Provider:
    """Add the provider's endpoints to ``app`` (the idp component app, mounted at the issuer)."""
    from idp.oidc.endpoints import router as endpoints
    from idp.oidc.pages import router as pages

    provider = build_provider(
        runtime.settings,
        authenticator=authenticator,
        clock=clock,
        lifetimes=lifetimes,
        minimum_acr=minimum_acr,
    )
    app.state.oidc_provider = provider
    app.include_router(endpoints)
    app.include_router(pages)
    return provider
