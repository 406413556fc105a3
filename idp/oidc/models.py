"""Tables of the OpenID provider; every piece of protocol state lives here, none in memory.

Times are integer seconds since the epoch (UTC) so SQLite and PostgreSQL compare them alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base


class SigningKey(Base):
    """A provider signing key; the private JWK is sealed with AES-GCM (see keystore)."""

    __tablename__ = "idp_oidc_signing_key"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    alg: Mapped[str] = mapped_column(String(16))
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    sealed_private: Mapped[bytes] = mapped_column(LargeBinary)
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[int] = mapped_column(BigInteger)
    retired_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class Client(Base):
    """A registered relying party or ministry system (OIDC Dynamic Registration 2 metadata)."""

    __tablename__ = "idp_oidc_client"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    redirect_uris: Mapped[list[str]] = mapped_column(JSON)
    post_logout_redirect_uris: Mapped[list[str]] = mapped_column(JSON)
    grant_types: Mapped[list[str]] = mapped_column(JSON)
    auth_method: Mapped[str] = mapped_column(String(32))
    secret_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    jwks: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    id_token_alg: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[int] = mapped_column(BigInteger)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # A resource server may introspect the access tokens of these clients (RFC 7662 4).
    introspects_for: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")


class Grant(Base):
    """One authorization: the family every code, access and refresh token descends from."""

    __tablename__ = "idp_oidc_grant"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("idp_oidc_client.client_id"), index=True)
    subject: Mapped[str] = mapped_column(String(255))
    scope: Mapped[str] = mapped_column(String(2000))
    acr: Mapped[str | None] = mapped_column(String(100), nullable=True)
    amr: Mapped[list[str]] = mapped_column(JSON)
    auth_time: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    sid: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[int] = mapped_column(BigInteger)
    revoked_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class AuthorizationCode(Base):
    """A single-use authorization code, stored as its SHA-256 (RFC 6749 4.1.2)."""

    __tablename__ = "idp_oidc_code"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    grant_id: Mapped[str] = mapped_column(ForeignKey("idp_oidc_grant.id"), index=True)
    redirect_uri: Mapped[str] = mapped_column(String(2000))
    code_challenge: Mapped[str] = mapped_column(String(128))
    nonce: Mapped[str | None] = mapped_column(String(500), nullable=True)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    used_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class Token(Base):
    """An issued access token (keyed by jti) or refresh token (keyed by its SHA-256)."""

    __tablename__ = "idp_oidc_token"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    grant_id: Mapped[str] = mapped_column(ForeignKey("idp_oidc_grant.id"), index=True)
    scope: Mapped[str] = mapped_column(String(2000))
    issued_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    used_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    revoked_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class BrowserSession(Base):
    """A logged-in browser; the cookie holds a random id, the table only its SHA-256."""

    __tablename__ = "idp_oidc_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    sid: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(String(255))
    acr: Mapped[str] = mapped_column(String(100))
    amr: Mapped[list[str]] = mapped_column(JSON)
    auth_time: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)


class Interaction(Base):
    """A pending login: the validated authorization request while the user authenticates."""

    __tablename__ = "idp_oidc_interaction"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    csrf_hash: Mapped[str] = mapped_column(String(64))
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    stage: Mapped[str] = mapped_column(String(16))
    first_factor: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    expires_at: Mapped[int] = mapped_column(BigInteger)


class UsedAssertion(Base):
    """A client assertion jti seen before its expiry: the replay cache (RFC 7523 3)."""

    __tablename__ = "idp_oidc_used_jti"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    jti: Mapped[str] = mapped_column(String(255), primary_key=True)
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)
