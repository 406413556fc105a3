"""``onedoor idp keys`` and ``onedoor idp client``: signing keys and client registration."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from sqlalchemy import select

from idp.oidc.clients import AUTH_METHODS, GRANT_TYPES, register_client
from idp.oidc.discovery import metadata
from idp.oidc.models import Client
from idp.oidc.provider import build_provider
from onedoor.config import get_settings
from onedoor.db import open_database, session_factory, transaction
from onedoor.errors import InvalidRequestError

keys_app = typer.Typer(help="OpenID provider signing keys.", no_args_is_help=True)
client_app = typer.Typer(help="OpenID Connect / OAuth 2 clients.", no_args_is_help=True)


def _now() -> int:
    return int(datetime.now(UTC).timestamp())


@keys_app.command("rotate")
def rotate_keys() -> None:
    """Retire the active signing keys and create new ones; old public keys stay published."""
    settings = get_settings()
    provider = build_provider(settings)
    with transaction(session_factory(open_database(settings.database_url))) as session:
        created = provider.keys.rotate(session, now=_now())
        for row in created:
            typer.echo(f"new {row.alg} key {row.kid}")
    typer.echo(
        "retired keys stay in the JWKS for "
        f"{provider.lifetimes.longest_signed + provider.lifetimes.leeway} s"
    )


@keys_app.command("list")
def list_keys() -> None:
    """Show every signing key and whether it is active, published or expired."""
    settings = get_settings()
    provider = build_provider(settings)
    now = _now()
    with transaction(session_factory(open_database(settings.database_url))) as session:
        published = {key["kid"] for key in provider.keys.published(session, now=now)}
        for row in provider.keys.all_keys(session):
            state = "active" if row.retired_at is None else (
                "retired, published" if row.kid in published else "retired")
            typer.echo(f"{row.kid}  {row.alg}  {state}")


def _load_jwks(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InvalidRequestError(f"cannot read JWK Set from {path}: {exc}") from exc
    if isinstance(value, dict) and "keys" not in value and "kty" in value:
        value = {"keys": [value]}
    if not isinstance(value, dict):
        raise InvalidRequestError(f"{path} is not a JWK Set")
    return value


@client_app.command("add")
def add_client(
    name: str = typer.Option(..., help="Display name of the client."),
    redirect_uri: list[str] = typer.Option([], help="Exact redirect URI (repeatable)."),
    grant_type: list[str] = typer.Option(
        ["authorization_code", "refresh_token"], help=f"One of {', '.join(GRANT_TYPES)}."
    ),
    auth_method: str = typer.Option(
        "private_key_jwt", help=f"Token endpoint auth: {' or '.join(AUTH_METHODS)}."
    ),
    jwks_file: Path | None = typer.Option(None, help="The client's public JWK Set (JSON)."),
    scope: list[str] = typer.Option(["openid", "profile"], help="Allowed scope (repeatable)."),
    post_logout_uri: list[str] = typer.Option([], help="Post-logout redirect URI."),
    id_token_alg: str = typer.Option("ES256", help="ID token signing algorithm: ES256 or RS256."),
    introspects_for: list[str] = typer.Option(
        [], help="A resource server: client id whose access tokens it may introspect "
        "(repeatable)."
    ),
) -> None:
    """Register a client and print what it needs; a generated secret is shown only once."""
    settings = get_settings()
    provider = build_provider(settings)
    with transaction(session_factory(open_database(settings.database_url))) as session:
        registered = register_client(
            session, name=name, grant_types=grant_type, auth_method=auth_method,
            scopes=scope, now=_now(), redirect_uris=redirect_uri,
            post_logout_redirect_uris=post_logout_uri, jwks=_load_jwks(jwks_file),
            id_token_alg=id_token_alg, introspects_for=introspects_for,
        )
        client_id = registered.client.client_id
    document = metadata(provider)
    typer.echo(f"client_id:      {client_id}")
    if registered.secret:
        typer.echo(f"client_secret:  {registered.secret}   (shown once; stored hashed)")
    typer.echo(f"auth method:    {auth_method}")
    if introspects_for:
        typer.echo(f"introspects:    access tokens of {', '.join(introspects_for)}")
    typer.echo(f"issuer:         {document['issuer']}")
    typer.echo(f"discovery:      {document['issuer']}/.well-known/openid-configuration")
    for endpoint in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint",
                     "jwks_uri", "end_session_endpoint", "introspection_endpoint",
                     "revocation_endpoint"):
        typer.echo(f"{endpoint}: {document[endpoint]}")


@client_app.command("list")
def list_clients() -> None:
    """Show registered clients (never their secrets)."""
    settings = get_settings()
    with transaction(session_factory(open_database(settings.database_url))) as session:
        for client in session.scalars(select(Client).order_by(Client.created_at)):
            state = "disabled" if client.disabled else "enabled"
            typer.echo(
                f"{client.client_id}  {client.name}  {client.auth_method}  "
                f"{','.join(client.grant_types)}  {state}"
            )
