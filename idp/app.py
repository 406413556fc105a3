"""The idp component's web app."""

from __future__ import annotations

from fastapi import FastAPI

from idp.oidc import Authenticator, Clock, Lifetimes, install
from onedoor.http import create_component_app
from onedoor.runtime import Runtime


def create_app(
    runtime: Runtime,
    *,
    authenticator: Authenticator | None = None,
    clock: Clock | None = None,
    lifetimes: Lifetimes | None = None,
) -> FastAPI:
    """The identity provider; without an authenticator nobody can log in (lead plugs it in)."""
    app = create_component_app("idp", runtime, title="OneDoor identity provider")
    install(app, runtime, authenticator=authenticator, clock=clock, lifetimes=lifetimes)
    return app
