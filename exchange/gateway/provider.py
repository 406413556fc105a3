"""Provider side: accept a sealed request from a peer gateway, or refuse it before anything
reaches the member system.

Order of checks: size, peer certificate (chain + directory), signature (with the sender's
registered signing certificate, itself checked), decryption, message time, replay, service,
access right, consent or legal basis (recorded either way), schema; then the member system is
called, its reply validated against the service's schema and sealed for the sender.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509

from exchange.central.globalconf import GlobalConfiguration
from exchange.gateway.access import check_access, normalize_path
from exchange.gateway.certificates import (
    check_belongs_to,
    fingerprint,
    verify_member_certificate,
)
from exchange.gateway.config import GatewayConfig, ServiceBinding
from exchange.gateway.consentcheck import ConsentOutcome, check_reply_subject, decide_and_record
from exchange.gateway.membersystem import call_member_system
from exchange.gateway.messagelog import LoggedMessage
from exchange.gateway.replay import CLEANUP, forget_before, remember_message, retention
from exchange.gateway.sqlitelock import take_write_lock
from exchange.gateway.steps import append_log, log_messages, logged, validate_body
from exchange.messages.envelope import (
    certificate_thumbprint,
    open_sealed,
    peek_header,
    peek_thumbprint,
    request_hash,
    seal,
)
from exchange.messages.freshness import check_message_time
from exchange.messages.header import MessageHeader
from exchange.xroad import rest
from exchange.xroad.errors import (
    InvalidMessageError,
    InvalidSignatureError,
    SslAuthenticationError,
    UnknownServiceError,
    XRoadError,
)
from onedoor.db import transaction

log = logging.getLogger("onedoor.exchange.gateway")


@dataclass(frozen=True)
class ProviderReply:
    wire: str
    request_hash: str


def handle_peer_message(
    *, config: GatewayConfig, wire: str, peer_chain: list[str]
) -> ProviderReply:
    """Verify, authorise and serve one request; raises an XRoadError to refuse it."""
    configuration = config.globalconf.current()
    now = config.clock()
    hops = {"provider_in": now}
    claimed = peek_header(wire)
    if claimed.kind != "request" or claimed.recipient != config.member:
        raise InvalidMessageError("message is not a request for this member")
    sender = configuration.member(claimed.sender)
    if not peer_chain:
        raise SslAuthenticationError("peer gateway presented no client certificate")
    peer = x509.load_pem_x509_certificate(peer_chain[0].encode())
    verify_member_certificate(
        peer, configuration=configuration, now=now, purpose="tls",
        revocation_check=config.revocation_check,
    )
    check_belongs_to(peer, sender)
    if peek_thumbprint(wire) != certificate_thumbprint(sender.signing_certificate):
        raise InvalidSignatureError("message is not signed with the sender's registered key")
    verify_member_certificate(
        sender.signing_certificate, configuration=configuration, now=now, purpose="signing",
        revocation_check=config.revocation_check,
    )
    opened = open_sealed(
        wire, signing_certificate=sender.signing_certificate, decryption_key=config.encryption_key
    )
    header = opened.header
    if header.client.member != header.sender:
        raise InvalidMessageError("the client does not belong to the signing member")
    configuration.check_client(header.client)
    check_message_time(header, now=int(now.timestamp()), window=config.message_window)
    hashed = request_hash(wire)
    path, binding = _admit(
        config, configuration, header=header, body=opened.body, now=now,
        entry=logged(header, role="provider", wire=wire, body=opened.body, hashed=hashed),
    )
    hops["member_out"] = config.clock()
    reply = call_member_system(
        binding=binding, method=header.method, path=path,
        headers=_member_headers(header), body=opened.body,
        max_bytes=config.max_body_bytes, transport=config.member_system_transport,
        clients=config.member_system_clients,
    )
    hops["member_in"] = config.clock()
    validate_body(
        config, header.service, direction="response", body=reply.body,
        content_type=reply.headers.get("content-type"), status=reply.status,
    )
    if config.consent is not None:
        check_reply_subject(
            config.consent, header=header, status=reply.status, body=reply.body,
            content_type=reply.headers.get("content-type"),
        )
    response_header = MessageHeader(
        kind="response", message_id=header.message_id, sender=config.member,
        recipient=header.sender, client=header.client, service=header.service,
        issued_at=int(config.clock().timestamp()), method=header.method, path=header.path,
        headers=reply.headers, status=reply.status, request_hash=hashed,
    )
    response_wire = seal(
        header=response_header, body=reply.body, signing_key=config.signing_key,
        signing_certificate=config.signing_certificate, recipient_key=sender.encryption_key,
    )
    hops["provider_out"] = config.clock()
    log_messages(
        config,
        logged(response_header, role="provider", wire=response_wire, body=reply.body,
               hashed=hashed),
        hops=hops,
    )
    log.info(
        "served", extra={"event": "served", "member": str(header.client), "service":
                         str(header.service), "message_id": header.message_id,
                         "key_id": fingerprint(peer)[:16]},
    )
    return ProviderReply(wire=response_wire, request_hash=hashed)


def _admit(
    config: GatewayConfig,
    configuration: GlobalConfiguration,
    *,
    header: MessageHeader,
    body: bytes,
    now: datetime,
    entry: LoggedMessage,
) -> tuple[str, ServiceBinding]:
    """One transaction before the member system is called: remember the message id (replay),
    check service and access, decide and record consent, log the request; raises to refuse.

    The id stays remembered and a consent decision recorded even when the request is refused,
    so the refusal is raised only once the transaction has committed.
    """
    refusal: XRoadError | None = None
    outcome = ConsentOutcome(None)
    path, binding = "", None
    with transaction(config.sessions) as session:
        take_write_lock(session)
        remember_message(
            session, gateway=config.member, sender=header.sender,
            message_id=header.message_id, now=now,
        )
        # Ids older than the window can be dropped: such messages are refused as stale anyway.
        if CLEANUP.due(config.member, now):
            forget_before(
                session, gateway=config.member, before=now - retention(config.message_window)
            )
        try:
            path = normalize_path(header.path)
            binding = config.services.get(header.service)
            if header.service.provider.member != config.member or binding is None:
                raise UnknownServiceError(
                    f"service {header.service} is not served by this gateway"
                )
            check_access(
                configuration, client=header.client, service=header.service,
                method=header.method, path=path.split("?", 1)[0],
            )
            if config.consent is not None:
                outcome = decide_and_record(
                    session, enforcement=config.consent, header=header, path=path,
                    groups=configuration.groups_of(header.client), now=now,
                )
            if outcome.decision is None or outcome.decision.allowed:
                validate_body(
                    config, header.service, direction="request", body=body,
                    content_type=header.headers.get("Content-Type"),
                )
                append_log(config, session, [entry])
        except XRoadError as exc:
            refusal = exc
    if refusal is not None:
        raise refusal
    outcome.raise_if_refused()
    if binding is None:  # unreachable: refused above
        raise UnknownServiceError(f"service {header.service} is not served by this gateway")
    return path, binding


def _member_headers(header: MessageHeader) -> dict[str, str]:
    headers = {
        rest.CLIENT: str(header.client),
        rest.MESSAGE_ID: header.message_id,
        rest.SERVICE: str(header.service),
    }
    headers.update(header.headers)
    return headers
