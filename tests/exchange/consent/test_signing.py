"""Detached ES256 JWS over the artefact: verifies with the right key only, fails closed."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from exchange.consent.artefact import canonical_json
from exchange.consent.errors import ConsentSignatureInvalidError
from exchange.consent.signing import (
    LocalConsentKeys,
    b64url,
    jwk_thumbprint,
    sign_detached,
    verify_detached,
)

PAYLOAD = canonical_json({"b": "ກ", "a": [1, 2]})


def test_canonical_json_sorts_keys_and_keeps_utf8() -> None:
    assert PAYLOAD == '{"a":[1,2],"b":"ກ"}'.encode()


def test_round_trip_returns_the_key_id(keys: LocalConsentKeys) -> None:
    jws = sign_detached(PAYLOAD, keys)
    assert jws.split(".")[1] == ""
    assert verify_detached(jws, PAYLOAD, keys) == keys.key_id


def test_other_payload_is_refused(keys: LocalConsentKeys) -> None:
    jws = sign_detached(PAYLOAD, keys)
    with pytest.raises(ConsentSignatureInvalidError):
        verify_detached(jws, PAYLOAD + b" ", keys)


def test_signature_by_an_untrusted_key_is_refused(
    keys: LocalConsentKeys, other_keys: LocalConsentKeys
) -> None:
    with pytest.raises(ConsentSignatureInvalidError):
        verify_detached(sign_detached(PAYLOAD, other_keys), PAYLOAD, keys)


def test_forged_kid_pointing_at_a_trusted_key_is_refused(
    keys: LocalConsentKeys, other_keys: LocalConsentKeys
) -> None:
    signature = sign_detached(PAYLOAD, other_keys).split(".")[2]
    forged_header = b64url(
        json.dumps({"alg": "ES256", "kid": keys.key_id, "typ": "onedoor-consent+jws"}).encode()
    )
    with pytest.raises(ConsentSignatureInvalidError):
        verify_detached(f"{forged_header}..{signature}", PAYLOAD, keys)


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "none", "kid": "k", "typ": "onedoor-consent+jws"},
        {"alg": "HS256", "kid": "k", "typ": "onedoor-consent+jws"},
        {"alg": "ES256", "kid": "k", "typ": "onedoor-consent+jws", "crit": ["b64"], "b64": False},
        {"alg": "ES256", "kid": "k", "typ": "JWT"},
    ],
)
def test_other_headers_are_refused(keys: LocalConsentKeys, header: dict[str, object]) -> None:
    header["kid"] = keys.key_id
    protected = b64url(json.dumps(header).encode())
    good = sign_detached(PAYLOAD, keys).split(".")[2]
    with pytest.raises(ConsentSignatureInvalidError):
        verify_detached(f"{protected}..{good}", PAYLOAD, keys)


@pytest.mark.parametrize("jws", ["", "a.b", "a..b.c", "!!..!!", "e30..", "bnVsbA..AAAA", 42, None])
def test_garbage_is_refused_with_one_error(keys: LocalConsentKeys, jws: object) -> None:
    with pytest.raises(ConsentSignatureInvalidError):
        verify_detached(jws, PAYLOAD, keys)  # type: ignore[arg-type]


def test_attached_payload_is_refused(keys: LocalConsentKeys) -> None:
    header, _, signature = sign_detached(PAYLOAD, keys).split(".")
    with pytest.raises(ConsentSignatureInvalidError):
        verify_detached(f"{header}.{b64url(PAYLOAD)}.{signature}", PAYLOAD, keys)


def test_retired_key_still_verifies_old_signatures(keys: LocalConsentKeys) -> None:
    old_jws = sign_detached(PAYLOAD, keys)
    old_public = keys.public_key(keys.key_id)
    assert old_public is not None
    rotated = LocalConsentKeys(ec.generate_private_key(ec.SECP256R1()), retired=[old_public])
    assert rotated.key_id != keys.key_id
    assert verify_detached(old_jws, PAYLOAD, rotated) == keys.key_id
    assert {key["kid"] for key in rotated.jwks()["keys"]} == {keys.key_id, rotated.key_id}


def test_thumbprint_hashes_the_required_members_in_order() -> None:
    # The key whose public point is the P-256 generator G (FIPS 186-4 D.1.2.3).
    key = ec.derive_private_key(1, ec.SECP256R1()).public_key()
    members = (
        '{"crv":"P-256","kty":"EC",'
        '"x":"axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY",'
        '"y":"T-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU"}'
    )
    expected = base64.urlsafe_b64encode(hashlib.sha256(members.encode()).digest()).rstrip(b"=")
    assert jwk_thumbprint(key) == expected.decode()
