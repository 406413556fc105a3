"""The portal component's web app: pages, static files, i18n and the browser security layer."""

from __future__ import annotations

from fastapi import FastAPI

from onedoor.http import create_component_app
from onedoor.runtime import Runtime
from portal.config import PortalConfig, config_from_settings
from portal.i18n import preload_catalogues
from portal.login.views import router as login_router
from portal.pages.errors import install_error_pages, refuse
from portal.pages.start import router as start_router
from portal.rating.views import router as rating_router
from portal.rendering import Pages, create_environment
from portal.security.csrf import CsrfMiddleware
from portal.security.headers import SecurityHeadersMiddleware, content_security_policy
from portal.security.sessions import SessionMiddleware
from portal.static_files import load_static, static_router


def create_app(runtime: Runtime, *, config: PortalConfig | None = None) -> FastAPI:
    """The portal; ``config`` defaults to one built from the runtime's settings."""
    config = config or config_from_settings(runtime.settings)
    preload_catalogues()
    static = load_static()
    app = create_component_app("portal", runtime, title="OneDoor portal")
    app.state.pages = Pages(
        config=config, static=static, environment=create_environment(),
        csrf_key=config.derive_key("csrf"),
    )
    install_error_pages(app)
    app.include_router(static_router(static))
    app.include_router(login_router)
    app.include_router(rating_router)
    app.include_router(start_router)
    # Added last = outermost: headers wrap everything, the session exists before CSRF runs.
    app.add_middleware(CsrfMiddleware, key=config.derive_key("csrf"), refuse=refuse)
    app.add_middleware(SessionMiddleware, secure=config.secure_cookies)
    app.add_middleware(
        SecurityHeadersMiddleware,
        csp=content_security_policy(form_action_origins=[config.idp_origin]),
        https=config.secure_cookies,
    )
    return app
