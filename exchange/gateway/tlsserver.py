"""Serve the gateway-to-gateway app over mutual TLS with uvicorn, exposing the peer certificate.

uvicorn does not yet put the client certificate in the ASGI scope, so a small HTTP protocol
subclass (httptools, or h11 without it) adds it as the ASGI TLS extension
(``scope["extensions"]["tls"]["client_cert_chain"]``,
leaf first, PEM). OpenSSL checks the chain against ``ca_file`` during the handshake; the app
checks it again against the current global configuration and the member directory.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn
from cryptography.hazmat.primitives import serialization
from uvicorn.protocols.http.h11_impl import H11Protocol

try:  # uvicorn[standard]: the C parser, several times cheaper per request than h11
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _BaseProtocol
except ImportError:  # pragma: no cover - httptools is an optional extra of uvicorn
    _BaseProtocol = H11Protocol  # type: ignore[assignment,misc]

from exchange.central.globalconf import GlobalConfiguration
from exchange.gateway.config import TlsFiles

ASGIApp = Any


class PeerCertificateProtocol(_BaseProtocol):
    """HTTP/1.1 over TLS that hands the verified peer certificate to the app."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        ssl_object = transport.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(True) if ssl_object is not None else None
        chain = [ssl.DER_cert_to_PEM_cert(der)] if der else []
        self.app = _with_tls_extension(self.app, chain)


def _with_tls_extension(app: ASGIApp, chain: list[str]) -> ASGIApp:
    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            extensions = dict(scope.get("extensions") or {})
            extensions["tls"] = {"client_cert_chain": chain, "client_cert_error": None}
            scope = {**scope, "extensions": extensions}
        await app(scope, receive, send)

    return wrapped


def write_ca_bundle(configuration: GlobalConfiguration, path: Path) -> Path:
    """The trusted CAs of the global configuration as a PEM bundle for OpenSSL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"".join(ca.public_bytes(serialization.Encoding.PEM) for ca in configuration.trusted_cas)
    )
    return path


def server_config(
    app: ASGIApp, *, host: str, port: int, tls: TlsFiles, ca_file: Path
) -> uvicorn.Config:
    """uvicorn settings for the provider side: client certificates required."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=PeerCertificateProtocol,
        ssl_certfile=str(tls.certificate),
        ssl_keyfile=str(tls.key),
        ssl_keyfile_password=tls.password.decode() if tls.password else None,
        ssl_ca_certs=str(ca_file),
        ssl_cert_reqs=ssl.CERT_REQUIRED,
        log_config=None,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
    )


class BackgroundServer:
    """A uvicorn server on a thread (tests, and embedding the gateway in another process)."""

    def __init__(self, config: uvicorn.Config) -> None:
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self, *, timeout: float = 15.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("gateway server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
