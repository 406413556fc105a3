"""The consent artefact: the signed, shareable form of a consent (ISO/IEC TS 27560, DEPA).

The artefact is rebuilt from the stored columns every time it is verified, so a row changed
directly in the database no longer matches its signature.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from exchange.consent.errors import ConsentSignatureInvalidError
from exchange.consent.models import Consent
from exchange.consent.signing import ConsentSigner, ConsentVerifier, sign_detached, verify_detached
from exchange.consent.verified import VERIFIED

ARTEFACT_TYPE = "onedoor-consent/1"


def timestamp(value: datetime) -> str:
    """RFC 3339 UTC, whole seconds (times are stored truncated to the second)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_second(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime: pass an aware UTC time")
    return value.astimezone(UTC).replace(microsecond=0)


def build_artefact(consent: Consent) -> dict[str, Any]:
    """The artefact of the consent's current version."""
    return {
        "type": ARTEFACT_TYPE,
        "consent_id": consent.id,
        "version": consent.version,
        "data_subject": consent.subject,
        "data_consumer": consent.consumer,
        "data_providers": list(consent.providers),
        "data_items": list(consent.data_items),
        "purpose": consent.purpose,
        "not_before": timestamp(consent.not_before),
        "not_after": timestamp(consent.not_after),
        "max_uses": consent.max_uses,
        "state": consent.state,
        "created_at": timestamp(consent.created_at),
        "updated_at": timestamp(consent.updated_at),
    }


def canonical_json(artefact: Mapping[str, Any]) -> bytes:
    """Sorted keys, no insignificant whitespace, UTF-8."""
    return json.dumps(
        artefact, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sign_consent(consent: Consent, signer: ConsentSigner) -> str:
    """Sign the consent's current version and store the signature on it."""
    consent.signature = sign_detached(canonical_json(build_artefact(consent)), signer)
    return consent.signature


def verify_consent(consent: Consent, verifier: ConsentVerifier) -> None:
    """Raise ConsentSignatureInvalidError unless the stored row matches its signature.

    A (signature, artefact) pair verified before is not verified again (see ``verified``).
    """
    VERIFIED.verify(consent.signature, canonical_json(build_artefact(consent)), verifier)


def verify_artefact(artefact: Any, signature: str, verifier: ConsentVerifier) -> str:
    """Verify an artefact shown by a third party; returns the signing key id."""
    if not isinstance(artefact, dict) or artefact.get("type") != ARTEFACT_TYPE:
        raise ConsentSignatureInvalidError()
    try:
        payload = canonical_json(artefact)
    except (TypeError, ValueError):
        raise ConsentSignatureInvalidError() from None
    return verify_detached(signature, payload, verifier)
