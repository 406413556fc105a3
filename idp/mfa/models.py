"""Tables of second factors: TOTP authenticators, recovery codes, WebAuthn credentials."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base
from onedoor.dbtypes import UtcDateTime

ZERO_AAGUID = "00000000-0000-0000-0000-000000000000"  # what "none" attestation usually reports


class TotpAuthenticator(Base):
    """An authenticator app or a hardware token; the seed is sealed (:mod:`idp.mfa.keys`)."""

    __tablename__ = "idp_mfa_totp"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("idp_accounts_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "app" or "hardware"
    label: Mapped[str] = mapped_column(String(100))
    sealed_secret: Mapped[bytes] = mapped_column(LargeBinary)
    algorithm: Mapped[str] = mapped_column(String(8))
    digits: Mapped[int] = mapped_column(Integer)
    period: Mapped[int] = mapped_column(Integer)
    last_step: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("idp_accounts_account.id"))


class RecoveryCode(Base):
    """One single-use recovery code, stored as an HMAC digest under the pepper."""

    __tablename__ = "idp_mfa_recovery_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("idp_accounts_account.id"), index=True)
    digest: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class WebAuthnCredential(Base):
    """A registered WebAuthn public-key credential (W3C WebAuthn Level 2 section 6.1)."""

    __tablename__ = "idp_mfa_webauthn_credential"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("idp_accounts_account.id"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(BigInteger)
    transports: Mapped[str] = mapped_column(String(200))  # comma-separated, as the client said
    # False for backup-eligible (synced, "multi-device") credentials: amr "swk", not "hwk".
    hardware: Mapped[bool] = mapped_column(Boolean, default=False)
    aaguid: Mapped[str] = mapped_column(String(36), server_default=ZERO_AAGUID)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Set when the signature counter went backwards (section 7.2 step 21): never used again.
    clone_suspected_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class WebAuthnChallenge(Base):
    """A pending registration or authentication ceremony; consumed once."""

    __tablename__ = "idp_mfa_webauthn_challenge"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("idp_accounts_account.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # "register" or "authenticate"
    challenge: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
