"""The credential a member's gateway presents to its own member system.

A member system (a registry, a ministry's information system) answers only its security
gateway, never a caller that bypasses the exchange's access rights, consent and logging. The
credential is a random bearer token in the state directory (0600), created in development
and provisioned by the operator in production; both sides read it from the same place.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import httpx

from onedoor.config import Settings
from onedoor.errors import ConfigurationError, OneDoorError


class GatewayCredentialRequiredError(OneDoorError):
    """Only the member's security gateway may call this member system."""

    code = "gateway_credential_required"
    http_status = 401


def credential_path(settings: Settings, system: str) -> Path:
    return settings.state_dir / "member-systems" / f"{system}.token"


def load_member_credential(settings: Settings, system: str, *, create: bool = False) -> str:
    path = credential_path(settings, system)
    if not path.exists():
        if not create or settings.environment != "development":
            raise ConfigurationError(f"member system credential {path} is missing")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return load_member_credential(settings, system)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
    token = path.read_text().strip()
    if len(token) < 32:
        raise ConfigurationError(f"member system credential {path} is too short")
    return token


def check_bearer(authorization: str | None, *, expected: str) -> None:
    """Raise GatewayCredentialRequiredError unless ``authorization`` is ``Bearer <expected>``."""
    scheme, _, presented = (authorization or "").partition(" ")
    given = hashlib.sha256(presented.strip().encode()).digest()
    wanted = hashlib.sha256(expected.encode()).digest()
    if scheme.lower() != "bearer" or not hmac.compare_digest(given, wanted):
        raise GatewayCredentialRequiredError()


class BearerTransport(httpx.BaseTransport):
    """Adds the member-system credential to every request the gateway makes to it."""

    def __init__(self, token: str, inner: httpx.BaseTransport | None = None) -> None:
        self._token = token
        self._inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()
