"""Signed-in portal sessions, keyed by a hash of the session cookie (never the cookie itself)."""

from __future__ import annotations

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base


class PortalLoginSession(Base):
    """Who is signed in behind one session cookie, until ``expires_at`` (Unix seconds)."""

    __tablename__ = "portal_login_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject: Mapped[str] = mapped_column(String(255), index=True)
    account_kind: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[str | None] = mapped_column(String(64))
    assurance: Mapped[str | None] = mapped_column(String(32))
    centre: Mapped[str | None] = mapped_column(String(32))
    acr: Mapped[str | None] = mapped_column(String(100))
    id_token: Mapped[str] = mapped_column(Text)
    # The IdP access token, Fernet-sealed with a portal key (portal.login.tokens); only the
    # signing pages unseal it, to call the CSC API on the citizen's behalf.
    access_token: Mapped[str | None] = mapped_column(Text)
    auth_time: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)
