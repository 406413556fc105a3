"""Registering the portal as a client of OneDoor's own identity provider, once.

:func:`ensure_portal_client` is idempotent: it creates the portal's private_key_jwt key if
missing, registers a client in the provider's database if the recorded one is not there, and
writes ``<state_dir>/portal/oidc-client.json``, which :func:`portal.config.load_oidc_client`
reads when the portal starts.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from idp.oidc.clients import get_client, register_client
from idp.oidc.provider import ENDPOINTS
from onedoor.db import transaction
from onedoor.runtime import Runtime
from portal.config import OIDC_CLIENT_FILE
from portal.oidc.client_key import create_client_key, key_path, load_client_key, public_jwks

CLIENT_NAME = "OneDoor portal"
SCOPES = ("openid", "profile", "onedoor")
CALLBACK_PATH = "/login/callback"


def client_document(runtime: Runtime, client_id: str) -> dict[str, Any]:
    """What the portal reads at start: the provider's endpoints and its own registration."""
    settings = runtime.settings
    issuer = settings.url_for("idp")
    document: dict[str, Any] = {"issuer": issuer}
    document.update({name: issuer + path for name, path in ENDPOINTS.items()})
    document.update(
        client_id=client_id,
        redirect_uri=settings.url_for("portal", CALLBACK_PATH),
        post_logout_redirect_uri=settings.url_for("portal", "/"),
        scope=" ".join(SCOPES),
        token_endpoint_auth_method="private_key_jwt",
    )
    return document


def _recorded_client_id(path: Path) -> str | None:
    document = _read(path)
    value = document.get("client_id") if isinstance(document, dict) else None
    return value if isinstance(value, str) and value else None


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _write(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(document, handle, indent=2)
    os.replace(temporary, path)


def ensure_portal_client(runtime: Runtime, *, now: int | None = None) -> list[str]:
    """Make the portal a registered client; returns what was done (empty: nothing to do)."""
    settings = runtime.settings
    done: list[str] = []
    path = settings.state_dir / OIDC_CLIENT_FILE
    if not key_path(settings).exists():
        create_client_key(settings)
        done.append(f"created the portal's client key {key_path(settings)}")
    key = load_client_key(settings)
    recorded = _recorded_client_id(path)
    with transaction(runtime.sessions) as session:
        existing = get_client(session, recorded) if recorded else None
        if existing is not None and existing.jwks != public_jwks(key):
            existing = None  # the key changed: register again rather than trust a stale key
        if existing is None:
            document = client_document(runtime, "")
            registered = register_client(
                session, name=CLIENT_NAME, grant_types=["authorization_code"],
                auth_method="private_key_jwt", scopes=list(SCOPES),
                now=now if now is not None else int(time.time()),
                redirect_uris=[document["redirect_uri"]],
                post_logout_redirect_uris=[document["post_logout_redirect_uri"]],
                jwks=public_jwks(key),
            )
            client_id = registered.client.client_id
            done.append(f"registered the portal as OpenID Connect client {client_id}")
        else:
            client_id = existing.client_id
    document = client_document(runtime, client_id)
    if _read(path) != document:
        _write(path, document)
        done.append(f"wrote {path}")
    return done
