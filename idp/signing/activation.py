"""credentials/authorize and the SAD it returns (CSC API v2 section 11.6), consumed by signHash.

The SAD is 256 random bits returned once; the database keeps its SHA-256, the credential, the
exact hashes it covers, how many signatures remain and when it expires. Consuming marks each
hash used with a compare-and-set, so two replicas given the same SAD and hash sign it once.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from idp.accounts.authn import PasswordVerified
from idp.accounts.errors import AuthenticationError
from idp.accounts.service import get_account
from idp.mfa.errors import FactorNotAllowedError
from idp.mfa.login import SecondFactor, verify_second_factor
from idp.signing.algorithms import check_hash_algorithm, decode_hashes, encode_hash
from idp.signing.context import SigningContext
from idp.signing.credentials import check_eligible, usable_credential
from idp.signing.errors import InvalidHashError, InvalidOtpError, InvalidSadError
from idp.signing.models import SigningActivation, SigningActivationHash
from idp.signing.vcode import verification_code


@dataclass(frozen=True)
class Authorization:
    """What credentials/authorize returns: the SAD, its lifetime and the verification code."""

    sad: str
    expires_in: int
    verification_code: str


def sad_digest(sad: str) -> str:
    return hashlib.sha256(sad.encode("utf-8")).hexdigest()


def authorize(
    session: Session,
    *,
    context: SigningContext,
    account_id: int,
    credential_id: str,
    num_signatures: int,
    hashes: list[str],
    hash_algorithm_oid: str | None,
    otp: str,
    source: str,
) -> Authorization:
    """A SAD for exactly ``hashes`` after a fresh TOTP; raises InvalidOtpError on a bad code.

    Everything else is checked before the code, so a refused request spends no code. After an
    InvalidOtpError the caller commits the session: the failure counters must persist.
    """
    credential = usable_credential(session, account_id=account_id, credential_id=credential_id)
    algorithm = check_hash_algorithm(hash_algorithm_oid)
    raw = decode_hashes(hashes)
    if num_signatures != len(raw):
        raise InvalidHashError("numSignatures must equal the number of hashes")
    _verify_otp(session, context=context, account_id=account_id, otp=otp, source=source)
    now = context.clock()
    sad = base64.urlsafe_b64encode(context.random(32)).rstrip(b"=").decode("ascii")
    activation = SigningActivation(
        sad_digest=sad_digest(sad),
        credential_id=credential.id,
        hash_algorithm=algorithm,
        remaining=len(raw),
        created_at=now,
        expires_at=now + context.sad_lifetime,
    )
    session.add(activation)
    session.flush()
    for value in raw:
        session.add(
            SigningActivationHash(activation_id=activation.id, hash_b64=encode_hash(value))
        )
    session.flush()
    return Authorization(
        sad=sad,
        expires_in=int(context.sad_lifetime.total_seconds()),
        verification_code=verification_code(raw),
    )


def _verify_otp(
    session: Session, *, context: SigningContext, account_id: int, otp: str, source: str
) -> None:
    """A TOTP through idp/mfa: throttled with logins, a step accepted once is never reused."""
    account = get_account(session, account_id=account_id)
    check_eligible(account)
    now = context.clock()
    first = PasswordVerified(
        account_id=account.id,
        subject=account.subject,
        login=account.login,
        password_must_change=False,
        verified_at=now,
    )
    try:
        verify_second_factor(
            session,
            first=first,
            factor=SecondFactor.TOTP,
            code=otp,
            source=source,
            keys=context.mfa_keys,
            now=now,
            policy=context.throttle,
        )
    except (AuthenticationError, FactorNotAllowedError) as exc:
        raise InvalidOtpError() from exc


def consume(
    session: Session,
    *,
    credential_id: str,
    sad: str,
    hashes: list[bytes],
    hash_algorithm_oid: str,
    now: datetime,
) -> None:
    """Spend the SAD on ``hashes``; one opaque InvalidSadError for every failure."""
    activation = session.scalars(
        select(SigningActivation).where(SigningActivation.sad_digest == sad_digest(sad))
    ).one_or_none()
    if (
        activation is None
        or activation.credential_id != credential_id
        or activation.hash_algorithm != hash_algorithm_oid
        or now >= activation.expires_at
    ):
        raise InvalidSadError()
    for value in hashes:
        used = session.execute(
            update(SigningActivationHash)
            .where(
                SigningActivationHash.activation_id == activation.id,
                SigningActivationHash.hash_b64 == encode_hash(value),
                SigningActivationHash.used_at.is_(None),
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(used, "rowcount", 0) != 1:
            raise InvalidSadError()
    spent = session.execute(
        update(SigningActivation)
        .where(SigningActivation.id == activation.id, SigningActivation.remaining >= len(hashes))
        .values(remaining=SigningActivation.remaining - len(hashes))
        .execution_options(synchronize_session=False)
    )
    if getattr(spent, "rowcount", 0) != 1:
        raise InvalidSadError()
