"""The identity provider's web app: OpenID Connect endpoints over accounts and MFA."""

from __future__ import annotations

from fastapi import FastAPI

from idp.authenticator import AccountsAuthenticator
from idp.mfa.keys import load_mfa_keys
from idp.oidc import Authenticator, Clock, Lifetimes, acr, install
from idp.oidc.provider import utc_now
from idp.signing.api import install_signing
from onedoor.http import create_component_app
from onedoor.runtime import Runtime


def create_app(
    runtime: Runtime,
    *,
    authenticator: Authenticator | None = None,
    clock: Clock | None = None,
    lifetimes: Lifetimes | None = None,
) -> FastAPI:
    """The identity provider; by default real accounts, and never a password alone."""
    app = create_component_app("idp", runtime, title="OneDoor identity provider")
    if authenticator is None:
        keys = load_mfa_keys(runtime.settings, create=True)
        authenticator = AccountsAuthenticator(keys=keys, clock=clock or utc_now)
    install(
        app, runtime, authenticator=authenticator, clock=clock, lifetimes=lifetimes,
        minimum_acr=acr.LOW,
    )
    install_signing(app, runtime)
    return app
