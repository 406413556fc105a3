"""RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 section 2, 3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from idp.oidc.clients import get_client
from idp.oidc.errors import InvalidRedirectError
from idp.oidc.jose import JwtRejectedError, unverified_claims
from idp.oidc.jose import verify as verify_jwt
from idp.oidc.keystore import SIGNING_ALGORITHMS
from idp.oidc.language import from_ui_locales
from idp.oidc.models import BrowserSession
from idp.oidc.provider import Provider
from idp.oidc.tokens import provider_key_set


@dataclass(frozen=True)
class LogoutRequest:
    """A logout request whose redirect URI, if any, is registered for the client."""

    redirect_uri: str | None
    state: str | None
    hint: Mapping[str, Any] | None
    ui_locales: str | None = None  # the supported language it asked for (section 2)

    def to_json(self) -> dict[str, Any]:
        return {"redirect_uri": self.redirect_uri, "state": self.state,
                "ui_locales": self.ui_locales}


def parse_logout(session: Session, provider: Provider, params: Mapping[str, str]) -> LogoutRequest:
    """Check id_token_hint and post_logout_redirect_uri; an invalid hint means no redirect."""
    client_id = params.get("client_id")
    hint = _verified_hint(session, provider, params.get("id_token_hint"), client_id)
    uri = params.get("post_logout_redirect_uri")
    if hint is None and params.get("id_token_hint"):
        uri = None
    if hint is not None and client_id is None:
        audience = hint["aud"]
        client_id = audience if isinstance(audience, str) else str(audience[0])
    if uri is not None:
        client = get_client(session, client_id or "")
        if client is None or uri not in client.post_logout_redirect_uris:
            raise InvalidRedirectError("post_logout_redirect_uri is not registered")
    return LogoutRequest(redirect_uri=uri, state=params.get("state"), hint=hint,
                         ui_locales=from_ui_locales(params.get("ui_locales")))


def _verified_hint(
    session: Session, provider: Provider, token: str | None, client_id: str | None
) -> dict[str, Any] | None:
    if not token:
        return None
    try:
        audience = client_id or _single_audience(token)
        return verify_jwt(
            token,
            keys=provider_key_set(session, provider),
            algorithms=SIGNING_ALGORITHMS,
            issuer=provider.issuer,
            audiences=(audience,),
            now=provider.now(),
            required=("exp", "sub", "aud"),
        )
    except JwtRejectedError:
        return None


def _single_audience(token: str) -> str:
    audience = unverified_claims(token).get("aud")
    if isinstance(audience, list) and len(audience) == 1:
        audience = audience[0]
    if not isinstance(audience, str):
        raise JwtRejectedError("id_token_hint has no single audience")
    return audience


def needs_confirmation(request: LogoutRequest, browser: BrowserSession | None) -> bool:
    """Ask the user unless the hint proves the request comes from this very session."""
    if browser is None:
        return False
    if request.hint is None:
        return True
    sid = request.hint.get("sid")
    if sid is not None:
        return bool(sid != browser.sid)
    return bool(request.hint.get("sub") != browser.subject)
