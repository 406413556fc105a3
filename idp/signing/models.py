"""Tables of the signing service: credentials (key + certificate) and signature activations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base
from onedoor.dbtypes import UtcDateTime

ACTIVE = "active"
REVOKED = "revoked"


class SigningCredential(Base):
    """A citizen's signing key (sealed, or a reference into a token) and its certificate."""

    __tablename__ = "idp_signing_credential"
    __table_args__ = (CheckConstraint("status IN ('active', 'revoked')", name="status"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the CSC credentialID
    account_id: Mapped[int] = mapped_column(ForeignKey("idp_accounts_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    custody: Mapped[str] = mapped_column(String(32))  # which KeyCustody holds the key
    key_reference: Mapped[bytes | None] = mapped_column(LargeBinary)  # None once destroyed
    issuer: Mapped[str] = mapped_column(String(64))
    serial: Mapped[str] = mapped_column(String(64))
    certificate_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class SigningActivation(Base):
    """Signature activation data (CSC API v2 section 11.6): only its SHA-256 is stored."""

    __tablename__ = "idp_signing_activation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sad_digest: Mapped[str] = mapped_column(String(64), unique=True)
    credential_id: Mapped[str] = mapped_column(
        ForeignKey("idp_signing_credential.id"), index=True
    )
    hash_algorithm: Mapped[str] = mapped_column(String(64))
    remaining: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SigningActivationHash(Base):
    """One document hash a SAD covers; ``used_at`` set when it is signed (once)."""

    __tablename__ = "idp_signing_activation_hash"
    __table_args__ = (UniqueConstraint("activation_id", "hash_b64"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activation_id: Mapped[int] = mapped_column(
        ForeignKey("idp_signing_activation.id"), index=True
    )
    hash_b64: Mapped[str] = mapped_column(String(128))
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
