"""The pki component's web app: CA certificates, CRLs, OCSP and time-stamping for relying parties.

    GET  /ca/{name}.cer|.pem     CA certificates (RFC 5280 4.2.2.1, caIssuers)
    GET  /crl/{name}.crl         fresh CRLs (RFC 5280 4.2.1.13)
    POST /ocsp/{ca}              OCSP (RFC 6960 appendix A.1), GET /ocsp/{ca}/{base64 request}
    POST /tsa                    time-stamping (RFC 3161 section 3.4)

HTTP-level failures (PKI not initialised, unknown CA) are OneDoor error bodies; protocol-level
failures are OCSP or TSP responses with an error status, never a 500.
"""

from __future__ import annotations

import logging
import threading
from typing import Annotated

from cryptography.hazmat.primitives import serialization
from fastapi import Depends, FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from keys.crl import current_crl_der
from keys.errors import KeysError, PkiNotInitialisedError, PkiUnavailableError
from keys.ocsp.errors import MalformedOcspRequestError
from keys.ocsp.http import OCSP_RESPONSE, decode_get_request
from keys.ocsp.request import MAX_REQUEST_BYTES
from keys.ocsp.responder import respond as ocsp_respond
from keys.pki import Pki, load_pki
from keys.tsa.authority import respond_committed as tsa_respond
from keys.tsa.policy import MAX_QUERY_BYTES
from onedoor.config import Settings
from onedoor.http import create_component_app
from onedoor.runtime import Runtime, RuntimeDep, SessionDep

log = logging.getLogger("onedoor.keys")

# Media types of RFC 2585 section 4 (DER), and the usual one for PEM.
DER_CERTIFICATE = "application/pkix-cert"
DER_CRL = "application/pkix-crl"
PEM_CERTIFICATE = "application/x-pem-file"
TIMESTAMP_REPLY = "application/timestamp-reply"  # RFC 3161 section 3.4


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

    @app.post("/ocsp/{ca}", summary="OCSP over HTTP POST (RFC 6960 appendix A.1.1)")
    async def ocsp_post(ca: str, request: Request, pki: PkiDep, runtime: RuntimeDep) -> Response:
        body = await _read_body(request, MAX_REQUEST_BYTES)
        answer = await run_in_threadpool(_ocsp_answer, runtime, pki, ca, body)
        return Response(answer, media_type=OCSP_RESPONSE)

    @app.get("/ocsp/{ca}/{encoded:path}", summary="OCSP over HTTP GET (RFC 6960 appendix A.1)")
    def ocsp_get(ca: str, encoded: str, pki: PkiDep, runtime: RuntimeDep) -> Response:
        try:
            body = decode_get_request(encoded)
        except MalformedOcspRequestError:
            body = b""
        answer = _ocsp_answer(runtime, pki, ca, body)
        return Response(answer, media_type=OCSP_RESPONSE, headers=_cache(60))

    @app.post("/tsa", summary="Time-stamping over HTTP (RFC 3161 section 3.4)")
    async def tsa(request: Request, pki: PkiDep, runtime: RuntimeDep) -> Response:
        body = await _read_body(request, MAX_QUERY_BYTES)
        reply = await run_in_threadpool(
            lambda: tsa_respond(sessions=runtime.sessions, pki=pki, query_der=body)
        )
        return Response(reply, media_type=TIMESTAMP_REPLY, headers={"Cache-Control": "no-store"})

    return app


def _ocsp_answer(runtime: Runtime, pki: Pki, ca: str, request_der: bytes) -> bytes:
    """Read-only: the session is closed without a commit."""
    with runtime.sessions() as session:
        return ocsp_respond(session=session, pki=pki, ca=ca, request_der=request_der)


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, or nothing if it exceeds ``limit`` (the protocol then answers "malformed")."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return b""
        chunks.append(chunk)
    return b"".join(chunks)


def _cache(seconds: int) -> dict[str, str]:
    return {"Cache-Control": f"public, max-age={seconds}"}
