"""The portal component's web app: pages, static files, i18n and the browser security layer."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from fastapi import FastAPI

from exchange.consent.signing import ConsentKeys
from exchange.transparency.keys import load_or_create_log_keys
from exchange.transparency.pseudonym import SubjectPseudonymizer
from idp.mfa.keys import load_mfa_keys
from idp.signing.ltv import LongTermSources, local_sources
from keys.errors import PkiNotInitialisedError
from keys.pki import load_pki
from onedoor.errors import ConfigurationError
from onedoor.http import create_component_app
from onedoor.runtime import Runtime
from portal.citizen.backends import CitizenBackends, Lazy
from portal.citizen.consents import router as consents_router
from portal.citizen.csc import CscClient
from portal.citizen.remote_signing import PendingSignatures
from portal.citizen.security import router as security_router
from portal.citizen.signing import SigningBackends
from portal.citizen.signing import router as signing_router
from portal.citizen.views import router as citizen_router
from portal.config import PortalConfig, config_from_settings
from portal.i18n import preload_catalogues
from portal.login.views import router as login_router
from portal.officer.backends import OfficerBackends
from portal.officer.link import CivilRegistryLink, InProcessCivilRegistry
from portal.officer.views import router as officer_router
from portal.oidc.client_key import load_client_key
from portal.oidc.relying_party import RelyingParty
from portal.operations.views import router as operations_router
from portal.pages.errors import install_error_pages, refuse
from portal.pages.start import router as start_router
from portal.privacy.backends import PrivacyBackends
from portal.privacy.views import router as privacy_router
from portal.rating.views import router as rating_router
from portal.rendering import Pages, create_environment
from portal.security.csrf import CsrfMiddleware
from portal.security.headers import SecurityHeadersMiddleware, content_security_policy
from portal.security.sessions import SessionMiddleware
from portal.static_files import load_static, static_router


def create_app(
    runtime: Runtime,
    *,
    config: PortalConfig | None = None,
    consent_keys: ConsentKeys | None = None,
    pseudonymizer: SubjectPseudonymizer | None = None,
    http: httpx.Client | None = None,
    registry_link: CivilRegistryLink | None = None,
    after_send: Callable[[], object] | None = None,
    signing_sources: LongTermSources | None = None,
) -> FastAPI:
    """The portal; ``config`` defaults to one built from the runtime's settings.

    ``consent_keys`` are the consent service's signing keys (the same object the consent API
    uses); without them the consent pages say they are not available. ``pseudonymizer``
    defaults to the transparency log's; ``http`` is the back channel to the provider.
    ``registry_link`` is the officers' link to the civil registry (in process by default);
    ``after_send`` runs after an application reached it (e.g. deliver the life events now).
    ``signing_sources`` give signatures their timestamp and OCSP data (default: in process,
    from this deployment's PKI; ``idp.signing.ltv.http_sources`` where the PKI is elsewhere).
    """
    config = config or config_from_settings(runtime.settings)
    settings = runtime.settings
    preload_catalogues()
    static = load_static()
    app = create_component_app("portal", runtime, title="OneDoor portal")
    app.state.pages = Pages(
        config=config, static=static, environment=create_environment(),
        csrf_key=config.derive_key("csrf"),
    )
    if config.oidc is not None:
        app.state.relying_party = RelyingParty(
            config.oidc, key=lambda: load_client_key(settings), http=http
        )
    app.state.citizen_backends = CitizenBackends(
        mfa_keys=Lazy(lambda: load_mfa_keys(settings, create=True)),
        consent_keys=Lazy(lambda: consent_keys),
        pseudonymizer=Lazy(
            lambda: pseudonymizer or load_or_create_log_keys(settings).pseudonymizer
        ),
    )
    app.state.officer_backends = OfficerBackends(
        link=registry_link or InProcessCivilRegistry(runtime.sessions), after_send=after_send
    )
    log_keys = Lazy(lambda: load_or_create_log_keys(settings))
    app.state.privacy_backends = PrivacyBackends(
        pseudonymizer=Lazy(lambda: pseudonymizer or log_keys.get().pseudonymizer),
        verifier=Lazy(lambda: log_keys.get().verifier),
    )
    oidc = config.oidc
    app.state.signing_backends = SigningBackends(
        csc=Lazy(lambda: CscClient(idp_url=oidc.issuer, http=httpx.Client(follow_redirects=False))
                 if oidc is not None else None),
        sources=Lazy(lambda: signing_sources or _local_sources(runtime)),
        pending=PendingSignatures(),
    )
    install_error_pages(app)
    app.include_router(static_router(static))
    app.include_router(login_router)
    app.include_router(rating_router)
    app.include_router(citizen_router)
    app.include_router(security_router)
    app.include_router(consents_router)
    app.include_router(signing_router)
    app.include_router(officer_router)
    app.include_router(privacy_router)
    app.include_router(operations_router)
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


def _local_sources(runtime: Runtime) -> LongTermSources:
    """Timestamps and OCSP in process; the signing pages are unavailable until the PKI exists."""
    try:
        pki = load_pki(runtime.settings)
    except PkiNotInitialisedError as exc:
        raise ConfigurationError("the PKI is not initialised") from exc
    return local_sources(sessions=runtime.sessions, pki=pki)
