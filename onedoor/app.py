"""Compose component apps: one per process in production, all on one port in the demo.

This is the composition root: the one place where components are handed each other's keys.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from onedoor import __version__
from onedoor.http import create_component_app
from onedoor.runtime import Runtime

# component name -> (module with create_app, mount path in the demo)
COMPONENT_APPS: dict[str, tuple[str, str]] = {
    "idp": ("idp.app", "/idp"),
    "central": ("exchange.central.app", "/central"),
    "registries": ("registries.app", "/registries"),
    "pki": ("keys.app", "/pki"),
    "portal": ("portal.app", "/portal"),
}


def create_component(name: str, runtime: Runtime) -> FastAPI:
    module_name, _ = COMPONENT_APPS[name]
    if name == "portal":
        from exchange.topology import load_consent_keys
        from portal.app import create_app as create_portal

        # The portal signs consents with the same keys the provider gateways verify.
        return create_portal(runtime, consent_keys=load_consent_keys(runtime.settings))
    factory: Callable[[Runtime], FastAPI] = importlib.import_module(module_name).create_app
    return factory(runtime)


def create_demo_app(
    runtime: Runtime, *, gateway_apps: Mapping[str, FastAPI] | None = None
) -> FastAPI:
    """Every component mounted under its path, each member's gateway under /gateways/<member>,
    plus a start page and an overall ``/health``."""
    app = create_component_app("demo", runtime, title="OneDoor demo")
    for name, (_, mount) in COMPONENT_APPS.items():
        app.mount(mount, create_component(name, runtime), name=name)
    gateways = dict(gateway_apps or {})
    for member, gateway in gateways.items():
        app.mount(f"/gateways/{member}", gateway, name=f"gateway-{member}")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def start_page() -> str:
        links = "".join(
            f'<li><a href="{mount}/health">{name}</a> <code>{mount}</code></li>'
            for name, (_, mount) in COMPONENT_APPS.items()
        )
        gateway_links = "".join(
            f'<li><a href="/gateways/{member}/listClients">{member}</a> '
            f"<code>/gateways/{member}/r1/...</code></li>"
            for member in gateways
        )
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>OneDoor {__version__}</title></head><body>"
            "<h1>OneDoor</h1><p>Digital identity and data exchange for one-door service "
            f'centres.</p><p><a href="/portal/">Open the portal</a></p><h2>Components</h2>'
            f"<ul>{links}</ul><h2>Member gateways</h2><ul>{gateway_links}</ul>"
            "</body></html>"
        )

    return app
