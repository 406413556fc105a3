"""The gateway's two web apps: client-facing X-Road REST (local) and gateway-to-gateway (mTLS).

``create_gateway_app`` serves the member's own systems: ``{METHOD} /r1/{service id}[/path]``,
the metadata services and ``/listClients``. ``create_peer_app`` serves other gateways on the
mutual-TLS port (see ``tlsserver``). Every failure is answered the X-Road way: an
``X-Road-Error`` header and a ``{type, message, detail}`` body.
"""

from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from exchange.gateway import discovery
from exchange.gateway.config import GatewayConfig
from exchange.gateway.consumer import ClientRequest, forward_request
from exchange.gateway.peerclient import PEER_PATH
from exchange.gateway.provider import handle_peer_message
from exchange.messages.envelope import MEDIA_TYPE
from exchange.xroad import rest
from exchange.xroad.errors import (
    InvalidXRoadRequestError,
    MissingHeaderError,
    Origin,
    RequestTooLargeError,
    XRoadError,
)
from exchange.xroad.identifiers import ClientId, ServiceId, parse_client_id

log = logging.getLogger("onedoor.exchange.gateway")
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
FORWARDED_CLIENT_HEADERS = (*rest.PASSED_THROUGH, "Content-Type", "Accept")


def create_gateway_app(config: GatewayConfig) -> FastAPI:
    """The client-facing API of ``config.member``'s security gateway."""
    app = FastAPI(title=f"OneDoor security gateway {config.member}", openapi_url=None)

    @app.api_route("/r1/{tail:path}", methods=METHODS, include_in_schema=False)
    async def r1(request: Request, tail: str) -> Response:
        message_id = request.headers.get(rest.MESSAGE_ID) or str(uuid.uuid4())
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
                    body=body_bytes,
                ),
            )
        except XRoadError as exc:
            return xroad_error_response(exc, Origin.CLIENT_PROXY, message_id=message_id)
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


def create_peer_app(config: GatewayConfig) -> FastAPI:
    """The gateway-to-gateway endpoint; serve it only with ``tlsserver`` (client certs)."""
    app = FastAPI(title=f"OneDoor gateway peer endpoint {config.member}", openapi_url=None)

    @app.post(PEER_PATH, include_in_schema=False)
    async def message(request: Request) -> Response:
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
            return xroad_error_response(error, Origin.SERVER_PROXY, message_id=message_id)
        except XRoadError as exc:
            log.warning(
                "refused", extra={"event": "refused", "error_code": exc.code,
                                  "message_id": message_id},
            )
            return xroad_error_response(exc, Origin.SERVER_PROXY, message_id=message_id)
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
    return JSONResponse(
        rest.error_body(xroad_type, exc.message, exc.code), status_code=status, headers=headers
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
