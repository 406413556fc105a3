"""The provider's machine endpoints: discovery, JWKS, token, userinfo, introspection, revocation.

Routes are thin. Each runs one transaction that also commits on protocol errors, so a spent
code, a revoked family or a consumed jti stays recorded when the request is refused.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from idp.oidc.client_auth import authenticate_client
from idp.oidc.discovery import metadata
from idp.oidc.errors import InsufficientScopeError, InvalidRequestError, OAuthError
from idp.oidc.grants import token_request
from idp.oidc.introspection import introspect, revoke
from idp.oidc.tokens import verify_access_token
from idp.oidc.web import (
    NO_STORE,
    bearer_error,
    form_params,
    oauth_error,
    provider_of,
    sessions_of,
)
from onedoor.db import transaction

router = APIRouter(tags=["openid-connect"])


@router.get("/.well-known/openid-configuration", summary="OpenID Provider metadata")
def discovery(request: Request) -> JSONResponse:
    return JSONResponse(metadata(provider_of(request)))


@router.get("/jwks", summary="Public signing keys (JWK Set)")
def jwks(request: Request) -> JSONResponse:
    provider = provider_of(request)
    with transaction(sessions_of(request)) as session:
        provider.keys.ensure(session, now=provider.now())
        keys = provider.keys.published(session, now=provider.now())
    return JSONResponse(
        {"keys": keys}, headers={"Cache-Control": "public, max-age=300"},
        media_type="application/jwk-set+json",
    )


async def _client_call(request: Request, endpoint: str, action: Any) -> Response:
    """Parse the form, authenticate the client, run ``action``; OAuth errors as JSON."""
    provider = provider_of(request)
    authorization = request.headers.get("authorization")
    try:
        form = await form_params(request)
    except OAuthError as exc:
        return oauth_error(exc)

    def run() -> Response:
        with transaction(sessions_of(request)) as session:
            try:
                client = authenticate_client(
                    session, provider, authorization=authorization, form=form, endpoint=endpoint
                )
                return action(session, provider, client, form)  # type: ignore[no-any-return]
            except OAuthError as exc:
                basic = bool(authorization and authorization.lower().startswith("basic "))
                return oauth_error(exc, basic_attempted=basic)

    return await run_in_threadpool(run)


@router.post("/token", summary="Token endpoint (RFC 6749 3.2)")
async def token(request: Request) -> Response:
    def action(session: Any, provider: Any, client: Any, form: dict[str, str]) -> Response:
        issued = token_request(session, provider, client=client, form=form)
        return JSONResponse(issued.to_json(), headers=NO_STORE)

    return await _client_call(request, "token_endpoint", action)


@router.post("/introspect", summary="Token introspection (RFC 7662)")
async def introspection(request: Request) -> Response:
    def action(session: Any, provider: Any, client: Any, form: dict[str, str]) -> Response:
        if not form.get("token"):
            raise InvalidRequestError("token is required")
        body = introspect(session, provider, client=client, token=form["token"])
        return JSONResponse(body, headers=NO_STORE)

    return await _client_call(request, "introspection_endpoint", action)


@router.post("/revoke", summary="Token revocation (RFC 7009)")
async def revocation(request: Request) -> Response:
    def action(session: Any, provider: Any, client: Any, form: dict[str, str]) -> Response:
        if not form.get("token"):
            raise InvalidRequestError("token is required")
        revoke(session, provider, client=client, token=form["token"])
        return Response(status_code=200, headers=NO_STORE)

    return await _client_call(request, "revocation_endpoint", action)


@router.api_route("/userinfo", methods=["GET", "POST"], summary="UserInfo (OIDC Core 5.3)")
async def userinfo(request: Request) -> Response:
    provider = provider_of(request)
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return bearer_error(None)

    def run() -> Response:
        with transaction(sessions_of(request)) as session:
            try:
                active = verify_access_token(session, provider, token.strip())
                scopes = str(active.claims.get("scope", "")).split()
                if "openid" not in scopes:
                    raise InsufficientScopeError("the openid scope is required")
                claims = dict(
                    provider.authenticator.claims_for(
                        session, subject=active.grant.subject, scopes=scopes
                    )
                )
            except OAuthError as exc:
                return bearer_error(exc)
        claims["sub"] = active.grant.subject
        return JSONResponse(claims, headers=NO_STORE)

    return await run_in_threadpool(run)
