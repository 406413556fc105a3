"""The consumer gateway's side of gateway-to-gateway HTTPS with mutual TLS.

The provider's certificate must chain to a CA of the global configuration (OpenSSL, during the
handshake) and be the TLS certificate the directory registers for the provider member (checked
before the response is read). Failures become NetworkError or SslAuthenticationError, within
bounded connect and read timeouts.
"""

from __future__ import annotations

import ssl
import threading
from dataclasses import dataclass

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from exchange.central.globalconf import GlobalConfiguration, MemberEntry
from exchange.gateway.certificates import check_belongs_to, verify_member_certificate
from exchange.gateway.config import GatewayConfig
from exchange.messages.envelope import MEDIA_TYPE
from exchange.xroad.errors import NetworkError, SslAuthenticationError, XRoadError

PEER_PATH = "/exchange/v1/message"


@dataclass(frozen=True)
class PeerReply:
    status: int
    headers: httpx.Headers
    body: bytes


def tls_context(config: GatewayConfig, configuration: GlobalConfiguration) -> ssl.SSLContext:
    """Client TLS: trust only the configuration's CAs; present the member's certificate."""
    cadata = "".join(
        ca.public_bytes(serialization.Encoding.PEM).decode() for ca in configuration.trusted_cas
    )
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cadata=cadata or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(config.tls.certificate, config.tls.key, config.tls.password)
    return context


class PeerClients:
    """One pooled HTTPS client per global configuration serial: the TLS context (decrypting
    the member's key) is built once and connections to peer gateways are kept alive."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._serial: int | None = None
        self._client: httpx.Client | None = None

    def client(self, config: GatewayConfig, configuration: GlobalConfiguration) -> httpx.Client:
        with self._lock:
            if self._client is None or self._serial != configuration.serial:
                timeout = httpx.Timeout(config.peer_timeout, connect=config.peer_connect_timeout)
                self._client = httpx.Client(
                    verify=tls_context(config, configuration), timeout=timeout, trust_env=False
                )
                self._serial = configuration.serial
            return self._client

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
            self._client, self._serial = None, None


def send_to_peer(
    *,
    config: GatewayConfig,
    configuration: GlobalConfiguration,
    provider: MemberEntry,
    wire: str,
    headers: dict[str, str],
) -> PeerReply:
    """POST a sealed message to ``provider``'s gateway and return its (unverified) reply."""
    url = provider.gateway_url + PEER_PATH
    try:
        client = config.peer_clients.client(config, configuration)
        with (
            client.stream(
                "POST", url, content=wire.encode(),
                headers={**headers, "Content-Type": MEDIA_TYPE},
            ) as response,
        ):
            _check_peer(response, config=config, configuration=configuration, provider=provider)
            body = _read_capped(response, limit=config.max_envelope_bytes)
            return PeerReply(status=response.status_code, headers=response.headers, body=body)
    except XRoadError:
        raise
    except httpx.TimeoutException as exc:
        raise NetworkError(f"provider gateway of {provider.id} did not answer in time") from exc
    except (httpx.HTTPError, ssl.SSLError, OSError) as exc:
        if _caused_by_tls(exc):
            raise SslAuthenticationError(
                f"TLS with the provider gateway of {provider.id} failed"
            ) from exc
        if isinstance(exc, httpx.RemoteProtocolError):
            raise NetworkError(
                f"provider gateway of {provider.id} closed the connection "
                "(it may have refused this gateway's TLS certificate)"
            ) from exc
        raise NetworkError(f"provider gateway of {provider.id} is unreachable") from exc


def _check_peer(
    response: httpx.Response,
    *,
    config: GatewayConfig,
    configuration: GlobalConfiguration,
    provider: MemberEntry,
) -> None:
    stream = response.extensions.get("network_stream")
    ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
    der = ssl_object.getpeercert(True) if ssl_object is not None else None
    if not der:
        raise SslAuthenticationError("provider gateway presented no certificate")
    certificate = x509.load_der_x509_certificate(der)
    check_belongs_to(certificate, provider)
    verify_member_certificate(
        certificate, configuration=configuration, now=config.clock(), purpose="tls",
        revocation_check=config.revocation_check,
    )


def _read_capped(response: httpx.Response, *, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise NetworkError("provider gateway's reply is larger than allowed")
        chunks.append(chunk)
    return b"".join(chunks)


def _caused_by_tls(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return "SSL" in str(exc) or "certificate" in str(exc).lower()
