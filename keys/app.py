"""The pki component's web app: CA certificates and CRLs for relying parties (RFC 5280 4.2.2.1)."""

from __future__ import annotations

import logging
import threading
from typing import Annotated

from cryptography.hazmat.primitives import serialization
from fastapi import Depends, FastAPI, Request, Response

from keys.crl import current_crl_der
from keys.errors import KeysError, PkiNotInitialisedError, PkiUnavailableError
from keys.pki import Pki, load_pki
from onedoor.config import Settings
from onedoor.http import create_component_app
from onedoor.runtime import Runtime, SessionDep

log = logging.getLogger("onedoor.keys")

# Media types of RFC 2585 section 4 (DER), and the usual one for PEM.
DER_CERTIFICATE = "application/pkix-cert"
DER_CRL = "application/pkix-crl"
PEM_CERTIFICATE = "application/x-pem-file"


class PkiHolder:
    """Loads the PKI on first use and keeps it; retries while it is not initialised."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._pki: Pki | None = None
        self._lock = threading.Lock()

    def get(self) -> Pki:
        """The PKI; clients learn that it is unavailable, the log says why (paths stay inside)."""
        with self._lock:
            if self._pki is None:
                try:
                    self._pki = load_pki(self._settings)
                except KeysError as exc:
                    log.error(
                        "PKI cannot be loaded: %s", exc.message, extra={"error_code": exc.code}
                    )
                    if isinstance(exc, PkiNotInitialisedError):
                        raise PkiNotInitialisedError() from exc
                    raise PkiUnavailableError() from exc
            return self._pki


def get_pki(request: Request) -> Pki:
    holder: PkiHolder = request.app.state.pki
    return holder.get()


PkiDep = Annotated[Pki, Depends(get_pki)]


def create_app(runtime: Runtime) -> FastAPI:
    app = create_component_app("pki", runtime, title="OneDoor PKI services")
    app.state.pki = PkiHolder(runtime.settings)

    @app.get("/ca/{name}.cer", summary="A CA certificate (DER), the AIA caIssuers target")
    def ca_certificate_der(name: str, pki: PkiDep) -> Response:
        certificate = pki.ca_certificate(name)
        body = certificate.public_bytes(serialization.Encoding.DER)
        return Response(body, media_type=DER_CERTIFICATE, headers=_cache(3600))

    @app.get("/ca/{name}.pem", summary="A CA certificate (PEM)")
    def ca_certificate_pem(name: str, pki: PkiDep) -> Response:
        certificate = pki.ca_certificate(name)
        body = certificate.public_bytes(serialization.Encoding.PEM)
        return Response(body, media_type=PEM_CERTIFICATE, headers=_cache(3600))

    @app.get("/crl/{name}.crl", summary="A fresh CRL (DER) of a CA, the CRL distribution point")
    def crl(name: str, pki: PkiDep, session: SessionDep) -> Response:
        body = current_crl_der(session=session, pki=pki, ca=name)
        return Response(body, media_type=DER_CRL, headers=_cache(60))

    return app


def _cache(seconds: int) -> dict[str, str]:
    return {"Cache-Control": f"public, max-age={seconds}"}
