"""The central server's web app: the signed global configuration and listClients."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from fastapi import FastAPI, Response

from exchange.central.globalconf import parse_global_configuration
from exchange.central.publisher import DEFAULT_VALIDITY, build_document
from exchange.central.signer import CentralSigner, load_or_create_signer
from exchange.central.signing import sign_configuration
from exchange.messages.clock import Clock, utc_now
from exchange.xroad.metadata import list_clients
from onedoor.http import create_component_app
from onedoor.runtime import Runtime, SessionDep

GLOBALCONF_MEDIA_TYPE = "application/json"


def create_app(runtime: Runtime) -> FastAPI:
    """The app mounted at /central; the signing key is loaded (or created) on first use."""

    @cache
    def signer() -> CentralSigner:
        return load_or_create_signer(runtime.settings, now=utc_now())

    return create_central_app(runtime, signer=signer)


def create_central_app(
    runtime: Runtime,
    *,
    signer: CentralSigner | Callable[[], CentralSigner],
    clock: Clock = utc_now,
    validity: timedelta = DEFAULT_VALIDITY,
) -> FastAPI:
    """``signer`` is a CentralSigner or a callable returning one (lazy key loading)."""
    app = create_component_app("central", runtime, title="OneDoor central server")

    def current_signer() -> CentralSigner:
        return signer if isinstance(signer, CentralSigner) else signer()

    @app.get("/globalconf", summary="The signed global configuration")
    def globalconf(session: SessionDep) -> dict[str, Any]:
        document = build_document(session, now=clock(), validity=validity)
        active = current_signer()
        return sign_configuration(document, key=active.key, certificate=active.certificate)

    @app.get("/globalconf/anchor", summary="The certificate that signs the global configuration")
    def anchor() -> Response:
        pem = current_signer().certificate.public_bytes(serialization.Encoding.PEM)
        return Response(pem, media_type="application/x-pem-file")

    @app.get("/listClients", summary="X-Road metadata: every member and subsystem")
    def list_clients_route(session: SessionDep) -> dict[str, Any]:
        document = build_document(session, now=clock(), validity=validity)
        return list_clients(parse_global_configuration(document))

    return app
