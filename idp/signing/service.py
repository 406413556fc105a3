"""signatures/signHash (CSC API v2 section 11.9): sign hashes covered by a valid SAD."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from idp.signing.activation import consume
from idp.signing.algorithms import check_hash_algorithm, check_sign_algorithm, decode_hashes
from idp.signing.context import SigningContext
from idp.signing.credentials import usable_credential
from idp.signing.errors import CredentialRevokedError
from keys.models import REVOKED
from keys.registry import find_certificate

log = logging.getLogger("onedoor.idp.signing")


def sign_hashes(
    session: Session,
    *,
    context: SigningContext,
    account_id: int,
    credential_id: str,
    sad: str,
    hashes: list[str],
    hash_algorithm_oid: str | None,
    sign_algo: str,
) -> list[bytes]:
    """DER ECDSA signatures, in order, of ``hashes``; the SAD is spent in the same transaction."""
    credential = usable_credential(session, account_id=account_id, credential_id=credential_id)
    record = find_certificate(
        session=session, issuer=credential.issuer, serial_number=int(credential.serial, 16)
    )
    if record is None or record.status == REVOKED:
        raise CredentialRevokedError()
    check_sign_algorithm(sign_algo)
    algorithm = check_hash_algorithm(hash_algorithm_oid)
    raw = decode_hashes(hashes)
    consume(
        session,
        credential_id=credential.id,
        sad=sad,
        hashes=raw,
        hash_algorithm_oid=algorithm,
        now=context.clock(),
    )
    assert credential.key_reference is not None  # usable_credential
    signatures = [
        context.custody.sign_digest(
            key_id=credential.id, reference=credential.key_reference, digest=value
        )
        for value in raw
    ]
    log.info("hashes signed", extra={"event": "sign_hash", "count": len(signatures)})
    return signatures
