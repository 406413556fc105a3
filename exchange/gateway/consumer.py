"""Consumer side: turn a member system's X-Road REST call into a sealed message to the
provider's gateway, and the provider's sealed reply back into a plain HTTP response."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509

from exchange.central.globalconf import GlobalConfiguration, MemberEntry
from exchange.gateway.access import normalize_path
from exchange.gateway.certificates import Purpose, verify_member_certificate
from exchange.gateway.config import GatewayConfig
from exchange.gateway.errors import RemoteDetailedError
from exchange.gateway.messagelog import LoggedMessage
from exchange.gateway.peerclient import PeerReply, send_to_peer
from exchange.gateway.steps import log_messages, logged, validate_body
from exchange.messages.envelope import MEDIA_TYPE, open_sealed, request_hash, seal
from exchange.messages.header import MessageHeader
from exchange.xroad import rest
from exchange.xroad.errors import (
    AccessDeniedError,
    InvalidMessageError,
    NetworkError,
    RemoteXRoadError,
    XRoadError,
)
from exchange.xroad.identifiers import ClientId, ServiceId


@dataclass(frozen=True)
class ClientRequest:
    client: ClientId
    service: ServiceId
    method: str
    path: str
    message_id: str
    headers: Mapping[str, str]
    body: bytes
    received_at: datetime | None = None  # when the member system's request arrived


@dataclass(frozen=True)
class ClientResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes
    request_hash: str


def forward_request(*, config: GatewayConfig, request: ClientRequest) -> ClientResponse:
    """Seal, send, verify the reply and its binding to the request; raises an XRoadError."""
    hops = {"client_in": request.received_at or config.clock()}
    configuration = config.globalconf.current()
    if request.client.member != config.member:
        raise AccessDeniedError(f"{request.client} is not a client of this gateway")
    configuration.check_client(request.client)
    configuration.service(request.service)
    provider = configuration.member(request.service.provider)
    configuration.check_client(request.service.provider)
    _check_provider_status(config, configuration, provider)
    path = normalize_path(request.path)
    validate_body(
        config, request.service, direction="request", body=request.body,
        content_type=request.headers.get("Content-Type"),
    )
    header = MessageHeader(
        kind="request", message_id=request.message_id, sender=config.member,
        recipient=provider.id, client=request.client, service=request.service,
        issued_at=int(config.clock().timestamp()), method=request.method, path=path,
        headers=dict(request.headers),
    )
    wire = seal(
        header=header, body=request.body, signing_key=config.signing_key,
        signing_certificate=config.signing_certificate, recipient_key=provider.encryption_key,
    )
    hashed = request_hash(wire)
    sent = logged(header, role="consumer", wire=wire, body=request.body, hashed=hashed)
    hops["consumer_out"] = config.clock()
    try:
        reply = send_to_peer(
            config=config, configuration=configuration, provider=provider, wire=wire,
            headers={rest.MESSAGE_ID: request.message_id},
        )
        response_header, body, received = _open_reply(
            config, configuration, provider, reply, request=header, hashed=hashed
        )
    except XRoadError:
        log_messages(config, sent, hops=hops)  # what was sent is on record, whatever came back
        raise
    hops["consumer_in"] = config.clock()
    # The request and its verified reply in one write, before anything is released.
    log_messages(config, sent, received, hops=hops)
    validate_body(
        config, request.service, direction="response", body=body,
        content_type=response_header.headers.get("content-type"),
        status=response_header.status,
    )
    return ClientResponse(
        status=response_header.status or 200,
        headers=response_header.headers,
        body=body,
        request_hash=hashed,
    )


def _check_provider_status(
    config: GatewayConfig, configuration: GlobalConfiguration, provider: MemberEntry
) -> None:
    """Nothing is sent to a provider whose registered certificates are revoked (OCSP)."""
    if config.revocation_check is None:
        return
    registered: tuple[tuple[x509.Certificate, Purpose], ...] = (
        (provider.tls_certificate, "tls"), (provider.signing_certificate, "signing")
    )
    for certificate, purpose in registered:
        verify_member_certificate(
            certificate, configuration=configuration, now=config.clock(), purpose=purpose,
            revocation_check=config.revocation_check,
        )


def _open_reply(
    config: GatewayConfig,
    configuration: GlobalConfiguration,
    provider: MemberEntry,
    reply: PeerReply,
    *,
    request: MessageHeader,
    hashed: str,
) -> tuple[MessageHeader, bytes, LoggedMessage]:
    if reply.headers.get(rest.ERROR):
        raise _remote_error(reply)
    if reply.status != 200 or not reply.headers.get("content-type", "").startswith(MEDIA_TYPE):
        raise NetworkError(f"provider gateway answered HTTP {reply.status} without a message")
    verify_member_certificate(
        provider.signing_certificate, configuration=configuration, now=config.clock(),
        purpose="signing", revocation_check=config.revocation_check,
    )
    wire = reply.body.decode("ascii", errors="replace")
    opened = open_sealed(
        wire, signing_certificate=provider.signing_certificate,
        decryption_key=config.encryption_key,
    )
    header = opened.header
    if (
        header.kind != "response"
        or header.sender != provider.id
        or header.recipient != config.member
        or header.message_id != request.message_id
        or header.request_hash != hashed
    ):
        raise InvalidMessageError("the provider's reply is not bound to this request")
    received = logged(header, role="consumer", wire=wire, body=opened.body, hashed=hashed)
    return header, opened.body, received


def _remote_error(reply: PeerReply) -> RemoteXRoadError:
    xroad_type = reply.headers[rest.ERROR]
    message = "the provider's gateway refused the request"
    detail = RemoteXRoadError.code
    try:
        body = json.loads(reply.body)
        if isinstance(body, dict) and isinstance(body.get("message"), str):
            message = body["message"][:500]
        if isinstance(body, dict) and isinstance(body.get("detail"), str):
            detail = body["detail"][:100]
    except ValueError:
        pass
    return RemoteDetailedError(xroad_type[:200], message, status=reply.status, detail=detail)
