"""The gateway's two web apps: client-facing X-Road REST (local) and gateway-to-gateway (mTLS).

``create_gateway_app`` serves the member's own systems: ``{METHOD} /r1/{service id}[/path]``,
the metadata services and ``/listClients``. ``create_peer_app`` serves other gateways on the
mutual-TLS port (see ``tlsserver``). Every failure is answered the X-Road way: an
``X-Road-Error`` header and a ``{type, message, detail}`` body.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from exchange.gateway import discovery
from exchange.gateway.config import GatewayConfig
from exchange.gateway.consumer import ClientRequest, forward_request
from exchange.gateway.metrics import CONTENT_TYPE, GatewayMetrics, Role
from exchange.gateway.peerclient import PEER_PATH
from exchange.gateway.provider import handle_peer_message
from exchange.messages.envelope import MEDIA_TYPE, peek_header
from exchange.xroad import rest
from exchange.xroad.errors import (
    InvalidXRoadRequestError,
    MissingHeaderError,
    Origin,
    RequestTooLargeError,
    XRoadError,
)
from exchange.xroad.identifiers import ClientId, ServiceId, parse_client_id
from onedoor.member_credentials import GatewayCredentialRequiredError, check_bearer

log = logging.getLogger("onedoor.exchange.gateway")
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
FORWARDED_CLIENT_HEADERS = (*rest.PASSED_THROUGH, "Content-Type", "Accept")


def create_gateway_app(
    config: GatewayConfig,
    *,
    metrics: GatewayMetrics | None = None,
    metrics_token: str | None = None,
) -> FastAPI:
    """The client-facing API of ``config.member``'s security gateway.

    ``/metrics`` is served only with ``metrics_token``, to callers presenting it as a bearer
    credential (the operator's monitoring, not the member's systems).
    """
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        config.peer_clients.close()

    app = FastAPI(
        title=f"OneDoor security gateway {config.member}", openapi_url=None, lifespan=lifespan
    )
    monitor = metrics or GatewayMetrics(config.member)
    app.state.metrics = monitor

    if metrics_token is not None:
        expected = metrics_token

        @app.get("/metrics", include_in_schema=False)
        def metrics_route(request: Request) -> Response:
            try:
                check_bearer(request.headers.get("authorization"), expected=expected)
            except GatewayCredentialRequiredError:
                return JSONResponse(
                    {"error": {"code": "operator_credential_required",
                               "message": "metrics need the operator's bearer credential"}},
                    status_code=401, headers={"WWW-Authenticate": "Bearer"},
                )
            return Response(monitor.exposition(), media_type=CONTENT_TYPE)

    @app.api_route("/r1/{tail:path}", methods=METHODS, include_in_schema=False)
    async def r1(request: Request, tail: str) -> Response:
        started = time.perf_counter()
        received_at = config.clock()
        message_id = request.headers.get(rest.MESSAGE_ID) or str(uuid.uuid4())
        client: ClientId | None = None
        service: ServiceId | None = None
        try:
            _check_message_id(message_id)
            service, path = _split_service(tail, request.url.query)
            client = _client_header(request)
            if service.service_code in rest.METADATA_SERVICES:
                body = discovery.answer(
                    config, client=client, provider=service.provider,
                    name=service.service_code, query=request.query_params,
                )
                return JSONResponse(body, headers={rest.MESSAGE_ID: message_id})
            body_bytes = await read_capped(request, limit=config.max_body_bytes)
            result = await run_in_threadpool(
                forward_request,
                config=config,
                request=ClientRequest(
                    client=client, service=service, method=request.method, path=path,
                    message_id=message_id, headers=_forwarded_headers(request),
                    body=body_bytes, received_at=received_at,
                ),
            )
        except XRoadError as exc:
            _observe(monitor, config, "consumer", client, service, exc.code, started)
            return xroad_error_response(exc, Origin.CLIENT_PROXY, message_id=message_id)
        _observe(monitor, config, "consumer", client, service, "ok", started)
        return Response(
            result.body,
            status_code=result.status,
            headers={
                **{k: v for k, v in result.headers.items() if k.lower() != "content-length"},
                rest.MESSAGE_ID: message_id,
                rest.CLIENT: str(client),
                rest.SERVICE: str(service),
                rest.REQUEST_HASH: result.request_hash,
            },
        )

    @app.get("/listClients")
    def list_clients() -> Response:
        try:
            return JSONResponse(discovery.list_all_clients(config))
        except XRoadError as exc:
            return xroad_error_response(exc, Origin.CLIENT_PROXY, message_id="")

    return app


def create_peer_app(config: GatewayConfig, *, metrics: GatewayMetrics | None = None) -> FastAPI:
    """The gateway-to-gateway endpoint; serve it only with ``tlsserver`` (client certs)."""
    app = FastAPI(title=f"OneDoor gateway peer endpoint {config.member}", openapi_url=None)
    monitor = metrics or GatewayMetrics(config.member)

    @app.post(PEER_PATH, include_in_schema=False)
    async def message(request: Request) -> Response:
        started = time.perf_counter()
        wire = ""
        message_id = request.headers.get(rest.MESSAGE_ID, "")[:255]
        tls = (request.scope.get("extensions") or {}).get("tls") or {}
        chain = list(tls.get("client_cert_chain") or [])
        try:
            raw = await read_capped(request, limit=config.max_envelope_bytes)
            wire = raw.decode("ascii")
            reply = await run_in_threadpool(
                handle_peer_message, config=config, wire=wire, peer_chain=chain
            )
        except UnicodeDecodeError:
            error = InvalidXRoadRequestError("message is not a signed envelope")
            _observe(monitor, config, "provider", None, None, error.code, started)
            return xroad_error_response(error, Origin.SERVER_PROXY, message_id=message_id)
        except XRoadError as exc:
            log.warning(
                "refused", extra={"event": "refused", "error_code": exc.code,
                                  "message_id": message_id},
            )
            client, service = _claimed(wire)
            _observe(monitor, config, "provider", client, service, exc.code, started)
            return xroad_error_response(exc, Origin.SERVER_PROXY, message_id=message_id)
        client, service = _claimed(wire)
        _observe(monitor, config, "provider", client, service, "ok", started)
        return Response(
            reply.wire, media_type=MEDIA_TYPE, headers={rest.REQUEST_HASH: reply.request_hash}
        )

    return app


def xroad_error_response(exc: XRoadError, side: Origin, *, message_id: str) -> JSONResponse:
    """``X-Road-Error`` header plus the ``{type, message, detail}`` body."""
    xroad_type = exc.xroad_type(side)
    status = getattr(exc, "status", None) or exc.http_status
    headers = {rest.ERROR: xroad_type}
    if message_id:
        headers[rest.MESSAGE_ID] = message_id
    detail = getattr(exc, "detail", None) or exc.code
    return JSONResponse(
        rest.error_body(xroad_type, exc.message, detail), status_code=status, headers=headers
    )


async def read_capped(request: Request, *, limit: int) -> bytes:
    """The request body, refusing more than ``limit`` bytes before reading them all."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise RequestTooLargeError(f"body is larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestTooLargeError(f"body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _observe(
    monitor: GatewayMetrics,
    config: GatewayConfig,
    role: Role,
    client: ClientId | None,
    service: ServiceId | None,
    outcome: str,
    started: float,
) -> None:
    monitor.observe(
        role=role, client=client, service=service, outcome=outcome,
        seconds=time.perf_counter() - started, known=_known(config, role, client, service),
    )


def _known(
    config: GatewayConfig, role: Role, client: ClientId | None, service: ServiceId | None
) -> bool:
    """Whether both identifiers are in the directory (so they may become metric labels)."""
    if client is None or service is None:
        return False
    if role == "consumer" and client.member != config.member:
        return False
    try:
        configuration = config.globalconf.current()
    except XRoadError:
        return False
    return service in configuration.services and client.member in configuration.members


def _claimed(wire: str) -> tuple[ClientId | None, ServiceId | None]:
    """The client and service a peer message names (unverified: only for metric labels)."""
    try:
        header = peek_header(wire)
    except XRoadError:
        return None, None
    return header.client, header.service


def _split_service(tail: str, query: str) -> tuple[ServiceId, str]:
    parts = tail.split("/", 5)
    if len(parts) < 5:
        raise InvalidXRoadRequestError(
            "path must be /r1/INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/path]"
        )
    try:
        service = ServiceId(ClientId(*parts[:4]), parts[4])
    except ValueError as exc:
        raise InvalidXRoadRequestError(f"invalid service identifier: {exc}") from None
    path = "/" + parts[5] if len(parts) == 6 else "/"
    return service, path + (f"?{query}" if query else "")


def _client_header(request: Request) -> ClientId:
    value = request.headers.get(rest.CLIENT)
    if not value:
        raise MissingHeaderError(f"header {rest.CLIENT} is required")
    return parse_client_id(value)


def _check_message_id(message_id: str) -> None:
    if len(message_id) > 255 or not message_id.isprintable() or not message_id.isascii():
        raise InvalidXRoadRequestError(f"{rest.MESSAGE_ID} must be printable ASCII, 255 at most")


def _forwarded_headers(request: Request) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name in FORWARDED_CLIENT_HEADERS:
        value = request.headers.get(name)
        if value is None:
            continue
        if len(value) > rest.MAX_HEADER_VALUE or not value.isprintable():
            raise InvalidXRoadRequestError(f"header {name} is too long or not printable")
        headers[name] = value
    return headers


__all__ = ["create_gateway_app", "create_peer_app", "xroad_error_response"]
