"""Signed global configuration: a detached JWS (RFC 7515 appendix F, ES256) over the document.

Published form: ``{"document": {...}, "signature": "<protected>..<signature>"}``; the signed
bytes are the document's canonical JSON (sorted keys, no spaces, UTF-8).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey
from joserfc.jws import JWSRegistry

from exchange.central.globalconf import GlobalConfiguration, parse_global_configuration
from exchange.messages.envelope import certificate_thumbprint
from exchange.messages.header import canonical_json
from exchange.xroad.errors import InvalidGlobalConfError, OutdatedGlobalConfError

_TYPE = "onedoor-globalconf+jws"
_REGISTRY = JWSRegistry(algorithms=["ES256"])
CLOCK_SKEW = timedelta(minutes=5)


def sign_configuration(
    document: dict[str, Any], *, key: ec.EllipticCurvePrivateKey, certificate: x509.Certificate
) -> dict[str, Any]:
    """The published form of ``document`` signed with the central server's key."""
    header = {"alg": "ES256", "typ": _TYPE, "x5t#S256": certificate_thumbprint(certificate)}
    signed = jws.serialize_compact(
        header, canonical_json(document), ECKey.import_key(key), registry=_REGISTRY
    )
    return {"document": document, "signature": jws.detach_content(signed)}


def verify_configuration(raw: bytes, *, trust_anchor: x509.Certificate) -> GlobalConfiguration:
    """Check the signature against the central server's certificate; raises, never returns half."""
    try:
        published = json.loads(raw)
        document, signature = published["document"], published["signature"]
        if not isinstance(document, dict) or not isinstance(signature, str):
            raise ValueError("malformed")
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidGlobalConfError("global configuration is not a signed document") from exc
    public_key = trust_anchor.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        raise InvalidGlobalConfError("central server trust anchor does not hold an EC key")
    try:
        verified = jws.deserialize_compact(
            signature, ECKey.import_key(public_key), registry=_REGISTRY,
            payload=canonical_json(document),
        )
    except (JoseError, ValueError) as exc:
        raise InvalidGlobalConfError("global configuration signature does not verify") from exc
    if verified.protected.get("typ") != _TYPE:
        raise InvalidGlobalConfError("signed object is not a global configuration")
    return parse_global_configuration(document)


def check_fresh(configuration: GlobalConfiguration, *, now: datetime) -> None:
    """Raise OutdatedGlobalConfError if expired, or generated implausibly in the future."""
    if now >= configuration.expires_at:
        raise OutdatedGlobalConfError(
            f"global configuration serial {configuration.serial} expired at "
            f"{configuration.expires_at.isoformat()}"
        )
    if configuration.generated_at > now + CLOCK_SKEW:
        raise OutdatedGlobalConfError("global configuration is dated in the future")
