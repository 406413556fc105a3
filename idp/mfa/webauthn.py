"""WebAuthn security keys as a second factor (W3C Web Authentication Level 2, sections 7.1-7.2).

Ceremonies are checked by the ``webauthn`` library; this module adds what it leaves to the
relying party: challenges stored server-side and used once (:mod:`idp.mfa.challenges`),
credentials bound to their account, and the signature counter of section 6.1.1. The library
compares counters before it checks the signature, so it is given 0 and the counter is
compared here, after the signature: only a validly signed assertion can mark a credential as
a suspected clone. Following section 7.2 step 21, a counter that is non-zero (stored or new)
and does not increase marks the credential, which is then refused until replaced.

``amr`` (RFC 8176): "hwk" for a credential whose key cannot leave its authenticator (backup
eligibility flag clear at registration: security keys, TPM and secure-enclave platform
keys), "swk" for a backup-eligible (synced, "multi-device") passkey whose key is copied
between devices in software. With "none" attestation both are the authenticator's own
claim; both rank as a phishing-resistant method in :mod:`idp.accounts.levels`.
"""

from __future__ import annotations

import logging
import secrets
import urllib.parse
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.cose import COSEAlgorithmIdentifier
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    CredentialDeviceType,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from idp.accounts.authn import PasswordVerified
from idp.accounts.errors import InvalidCredentialsError, NotPermittedError
from idp.accounts.models import Account
from idp.accounts.service import Random, get_account
from idp.mfa.challenges import CHALLENGE_TTL, Purpose, issue_challenge, take_challenge
from idp.mfa.errors import NoSecurityKeyError, SecurityKeyRefusedError, UnknownChallengeError
from idp.mfa.models import WebAuthnCredential
from idp.mfa.service import active_account
from onedoor.errors import InvalidRequestError

log = logging.getLogger(__name__)

ALGORITHMS = [
    COSEAlgorithmIdentifier.ECDSA_SHA_256,  # ES256, every security key
    COSEAlgorithmIdentifier.RSASSA_PKCS1_v1_5_SHA_256,  # RS256, Windows Hello (TPM)
]
MAX_CREDENTIALS = 10
MAX_RESPONSE_CHARS = 64 * 1024
MAX_CREDENTIAL_ID_BYTES = 1023  # section 5.8.3 credential IDs are at most 1023 bytes
TIMEOUT_MS = int(CHALLENGE_TTL.total_seconds() * 1000)
# What untrusted, malformed responses raise inside the library (base64, CBOR, COSE, JSON).
_MALFORMED = (WebAuthnException, ValueError, TypeError, KeyError, IndexError, OverflowError)


def check_relying_party(*, rp_id: str, origin: str) -> None:
    """``origin`` is https on ``rp_id`` or a subdomain (section 5.1.3; http for localhost)."""
    parts = urllib.parse.urlsplit(origin)
    host = parts.hostname or ""
    secure = parts.scheme == "https" or (parts.scheme == "http" and host == "localhost")
    if not (
        rp_id and rp_id.isascii() and rp_id == rp_id.lower() and not rp_id.startswith(".")
        and secure and (host == rp_id or host.endswith("." + rp_id))
        and not (parts.path or parts.query or parts.fragment or parts.username)
    ):
        raise InvalidRequestError("WebAuthn origin must be https://<rp id or a subdomain of it>")


def _credentials(session: Session, account_id: int, *, usable: bool) -> list[WebAuthnCredential]:
    query = select(WebAuthnCredential).where(WebAuthnCredential.account_id == account_id)
    if usable:
        query = query.where(WebAuthnCredential.clone_suspected_at.is_(None))
    return list(session.execute(query.order_by(WebAuthnCredential.id)).scalars())


def _descriptor(credential: WebAuthnCredential) -> PublicKeyCredentialDescriptor:
    known = {transport.value for transport in AuthenticatorTransport}
    transports = [
        AuthenticatorTransport(name) for name in credential.transports.split(",") if name in known
    ]
    return PublicKeyCredentialDescriptor(id=credential.credential_id, transports=transports)


def _bounded(credential_json: str) -> str:
    if not isinstance(credential_json, str) or len(credential_json) > MAX_RESPONSE_CHARS:
        raise ValueError("credential response too large")
    return credential_json


def begin_webauthn_registration(
    session: Session, *, account_id: int, rp_id: str, rp_name: str, origin: str,
    now: datetime, random: Random = secrets.token_bytes,
) -> str:
    """Creation options (section 5.4) as JSON for ``navigator.credentials.create()``."""
    check_relying_party(rp_id=rp_id, origin=origin)
    if not rp_name.strip():
        raise InvalidRequestError("the relying party needs a name")
    account = get_account(session, account_id=account_id)
    if not account.active:
        raise NotPermittedError("a disabled account cannot register a security key")
    existing = _credentials(session, account.id, usable=False)
    if len(existing) >= MAX_CREDENTIALS:
        raise SecurityKeyRefusedError(f"at most {MAX_CREDENTIALS} security keys per account")
    challenge = issue_challenge(
        session, account_id=account.id, purpose=Purpose.REGISTER, now=now, random=random
    )
    options = generate_registration_options(
        rp_id=rp_id, rp_name=rp_name, user_name=account.login,
        user_id=account.subject.encode("ascii"), user_display_name=account.display_name,
        challenge=challenge, timeout=TIMEOUT_MS,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[_descriptor(credential) for credential in existing],
        supported_pub_key_algs=ALGORITHMS,
    )
    return options_to_json(options)


def finish_webauthn_registration(
    session: Session, *, account_id: int, credential_json: str, origin: str, rp_id: str,
    now: datetime,
) -> str:
    """Verify the attestation (section 7.1) and store the credential; return its base64url id."""
    check_relying_party(rp_id=rp_id, origin=origin)
    account = get_account(session, account_id=account_id)
    if not account.active:
        raise NotPermittedError("a disabled account cannot register a security key")
    try:
        credential = parse_registration_credential_json(_bounded(credential_json))
        challenge = parse_client_data_json(credential.response.client_data_json).challenge
    except _MALFORMED as exc:
        raise SecurityKeyRefusedError() from exc
    take_challenge(
        session, account_id=account.id, purpose=Purpose.REGISTER, challenge=challenge, now=now
    )
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id,
            expected_origin=origin, require_user_presence=True,
            require_user_verification=False, supported_pub_key_algs=ALGORITHMS,
        )
    except _MALFORMED as exc:
        raise SecurityKeyRefusedError() from exc
    if (
        verified.credential_id != credential.raw_id
        or len(verified.credential_id) > MAX_CREDENTIAL_ID_BYTES
    ):
        raise SecurityKeyRefusedError()
    transports = sorted({transport.value for transport in credential.response.transports or ()})
    record = WebAuthnCredential(
        account_id=account.id, credential_id=verified.credential_id,
        public_key=verified.credential_public_key, sign_count=verified.sign_count,
        transports=",".join(transports), aaguid=verified.aaguid,
        hardware=verified.credential_device_type == CredentialDeviceType.SINGLE_DEVICE,
        created_at=now, last_used_at=None, clone_suspected_at=None,
    )
    try:
        with session.begin_nested():
            session.add(record)
    except IntegrityError as exc:  # the unique credential id: registered already, maybe elsewhere
        raise SecurityKeyRefusedError("this security key is already registered") from exc
    return bytes_to_base64url(verified.credential_id)


def begin_webauthn_authentication(
    session: Session, *, first: PasswordVerified, rp_id: str, now: datetime,
    random: Random = secrets.token_bytes,
) -> str:
    """Request options (section 5.5) as JSON for ``navigator.credentials.get()``."""
    if not rp_id:
        raise InvalidRequestError("the relying party needs an id")
    account = active_account(session, first)
    credentials = _credentials(session, account.id, usable=True)
    if not credentials:
        raise NoSecurityKeyError()
    challenge = issue_challenge(
        session, account_id=account.id, purpose=Purpose.AUTHENTICATE, now=now, random=random
    )
    options = generate_authentication_options(
        rp_id=rp_id, challenge=challenge, timeout=TIMEOUT_MS,
        allow_credentials=[_descriptor(credential) for credential in credentials],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return options_to_json(options)


def verify_webauthn_assertion(
    session: Session, *, account: Account, credential_json: str, rp_id: str, origin: str,
    now: datetime,
) -> str:
    """Check an assertion (section 7.2) for ``account``; return its amr, "hwk" or "swk".

    Raises InvalidCredentialsError for every refusal, so the caller counts it like a wrong code.
    """
    check_relying_party(rp_id=rp_id, origin=origin)
    try:
        credential = parse_authentication_credential_json(_bounded(credential_json))
        challenge = parse_client_data_json(credential.response.client_data_json).challenge
        take_challenge(
            session, account_id=account.id, purpose=Purpose.AUTHENTICATE,
            challenge=challenge, now=now,
        )
    except (*_MALFORMED, UnknownChallengeError) as exc:
        raise InvalidCredentialsError() from exc
    stored = session.execute(
        select(WebAuthnCredential).where(WebAuthnCredential.credential_id == credential.raw_id)
    ).scalar_one_or_none()
    if stored is None or stored.account_id != account.id or stored.clone_suspected_at:
        raise InvalidCredentialsError()  # unknown, another account's, or a suspected clone
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id,
            expected_origin=origin, credential_public_key=stored.public_key,
            credential_current_sign_count=0, require_user_verification=False,
        )
    except _MALFORMED as exc:
        raise InvalidCredentialsError() from exc
    _advance_counter(session, stored, verified.new_sign_count, now)
    return "hwk" if stored.hardware else "swk"


def _advance_counter(
    session: Session, stored: WebAuthnCredential, new_count: int, now: datetime
) -> None:
    old_count = stored.sign_count
    if (old_count or new_count) and new_count <= old_count:
        stored.clone_suspected_at = now
        session.flush()
        log.warning(
            "WebAuthn signature counter went backwards: credential suspended as a possible clone",
            extra={"component": "idp.mfa", "event": "webauthn_clone_suspected"},
        )
        raise InvalidCredentialsError()
    # Compare-and-set, so two replicas given assertions with one counter value accept one.
    result = session.execute(
        update(WebAuthnCredential)
        .where(
            WebAuthnCredential.id == stored.id,
            WebAuthnCredential.sign_count == old_count,
            WebAuthnCredential.clone_suspected_at.is_(None),
        )
        .values(sign_count=new_count, last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    session.expire(stored)
    if getattr(result, "rowcount", 0) != 1:
        raise InvalidCredentialsError()
