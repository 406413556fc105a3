"""A citizen's signing credential: key in custody, certificate from the citizen CA.

Only active citizen accounts proofed at eIDAS level substantial or high get one (the key is
used after a second factor, so the certificate is no stronger than the identity behind it).
"""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import select
from sqlalchemy.orm import Session

from idp.accounts.levels import AssuranceLevel
from idp.accounts.models import Account
from idp.accounts.rights import AccountKind
from idp.accounts.service import get_account
from idp.signing.context import SigningContext
from idp.signing.errors import (
    CredentialExistsError,
    CredentialRevokedError,
    NotEligibleError,
    UnknownCredentialError,
)
from idp.signing.models import ACTIVE, REVOKED, SigningCredential
from keys import profiles
from keys.issuance import issue_certificate
from keys.layout import CITIZEN_CA
from keys.registry import revoke_certificate, serial_hex
from keys.subjects import citizen_subject

ELIGIBLE_LEVELS = frozenset({AssuranceLevel.SUBSTANTIAL, AssuranceLevel.HIGH})


def split_name(display_name: str) -> tuple[str, str]:
    """Given and family name from "<given> <family>" (how proofing writes display names)."""
    parts = display_name.split(maxsplit=1)
    if len(parts) == 1:
        return parts[0], parts[0]
    return parts[0], parts[1]


def check_eligible(account: Account) -> None:
    """Raise NotEligibleError unless ``account`` may hold a signing key."""
    if (
        account.kind != AccountKind.CITIZEN
        or not account.active
        or account.person_id is None
        or AssuranceLevel(account.assurance_level) not in ELIGIBLE_LEVELS
    ):
        raise NotEligibleError(
            "a signing key needs an active citizen account proofed at level substantial or high"
        )


def enrol_credential(
    session: Session, *, context: SigningContext, account_id: int
) -> SigningCredential:
    """Generate the citizen's key in custody and certify it (nonRepudiation, citizen-ca)."""
    account = get_account(session, account_id=account_id)
    check_eligible(account)
    if active_credential(session, account_id=account.id) is not None:
        raise CredentialExistsError()
    assert account.person_id is not None  # check_eligible
    given, family = split_name(account.display_name)
    subject = citizen_subject(person_id=account.person_id, given_name=given, family_name=family)
    credential_id = context.random(16).hex()
    public_key, reference = context.custody.generate_key(key_id=credential_id)
    certificate = issue_certificate(
        session=session,
        pki=context.pki,
        ca=CITIZEN_CA,
        profile=profiles.CITIZEN_SIGNING,
        subject=subject,
        public_key=public_key,
        clock=context.clock,
    )
    credential = SigningCredential(
        id=credential_id,
        account_id=account.id,
        status=ACTIVE,
        custody=context.custody.name,
        key_reference=reference,
        issuer=CITIZEN_CA,
        serial=serial_hex(certificate.serial_number),
        certificate_pem=_pem(certificate),
        created_at=context.clock(),
        revoked_at=None,
    )
    session.add(credential)
    session.flush()
    return credential


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(Encoding.PEM).decode("ascii")


def certificate_of(credential: SigningCredential) -> x509.Certificate:
    return x509.load_pem_x509_certificate(credential.certificate_pem.encode("ascii"))


def credentials_of(session: Session, *, account_id: int) -> list[SigningCredential]:
    """Every credential of the account, newest first (CSC credentials/list)."""
    return list(
        session.scalars(
            select(SigningCredential)
            .where(SigningCredential.account_id == account_id)
            .order_by(SigningCredential.created_at.desc(), SigningCredential.id)
        )
    )


def active_credential(session: Session, *, account_id: int) -> SigningCredential | None:
    return session.scalars(
        select(SigningCredential).where(
            SigningCredential.account_id == account_id, SigningCredential.status == ACTIVE
        )
    ).first()


def get_credential(
    session: Session, *, account_id: int, credential_id: str
) -> SigningCredential:
    """The account's credential; another account's id is as unknown as a made-up one."""
    credential = session.get(SigningCredential, credential_id) if credential_id else None
    if credential is None or credential.account_id != account_id:
        raise UnknownCredentialError()
    return credential


def usable_credential(
    session: Session, *, account_id: int, credential_id: str
) -> SigningCredential:
    """The credential if it may still sign; raises CredentialRevokedError otherwise."""
    credential = get_credential(session, account_id=account_id, credential_id=credential_id)
    if credential.status != ACTIVE or credential.key_reference is None:
        raise CredentialRevokedError()
    return credential


def revoke_credential(
    session: Session,
    *,
    context: SigningContext,
    account_id: int,
    credential_id: str,
    reason: x509.ReasonFlags = x509.ReasonFlags.key_compromise,
) -> SigningCredential:
    """Revoke the certificate (CRL and OCSP say so at once) and destroy the sealed key."""
    credential = usable_credential(session, account_id=account_id, credential_id=credential_id)
    now = context.clock()
    revoke_certificate(
        session=session,
        issuer=credential.issuer,
        serial_number=int(credential.serial, 16),
        reason=reason,
        clock=context.clock,
    )
    credential.status = REVOKED
    credential.revoked_at = now
    credential.key_reference = None
    session.flush()
    return credential
