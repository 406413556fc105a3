"""The CSC API from the attacker's side: second factor, SAD binding, revocation, eligibility."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from idp.accounts.levels import AssuranceLevel
from idp.signing.algorithms import ECDSA_SHA256_OID, SHA256_OID
from idp.signing.vcode import verification_code
from tests.idp.signing.conftest import Citizen, Live, random_hash

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def authorize(
    live: Live, citizen: Citizen, hashes: list[bytes], otp: str | None = None
) -> dict[str, Any]:
    response = live.post(citizen, "/csc/v2/credentials/authorize", {
        "credentialID": citizen.credential_id, "numSignatures": len(hashes),
        "hashes": [b64(h) for h in hashes], "hashAlgorithmOID": SHA256_OID,
        "OTP": otp if otp is not None else citizen.code(),
    })
    return {"status": response.status_code, **response.json()}


def sign(live: Live, citizen: Citizen, sad: str, hashes: list[bytes]) -> dict[str, Any]:
    response = live.post(citizen, "/csc/v2/signatures/signHash", {
        "credentialID": citizen.credential_id, "SAD": sad, "hashes": [b64(h) for h in hashes],
        "hashAlgorithmOID": SHA256_OID, "signAlgo": ECDSA_SHA256_OID,
    })
    return {"status": response.status_code, **response.json()}


def test_list_and_info_show_the_credential_and_its_chain(live: Live) -> None:
    citizen = live.citizen()
    listed = live.post(citizen, "/csc/v2/credentials/list", {}).json()
    assert listed["credentialIDs"] == [citizen.credential_id]
    info = live.post(citizen, "/csc/v2/credentials/info", {
        "credentialID": citizen.credential_id, "certificates": "chain", "certInfo": True,
    }).json()
    assert info["SCAL"] == "2" and info["key"]["algo"] == [ECDSA_SHA256_OID]
    assert len(info["cert"]["certificates"]) == 3 and info["cert"]["status"] == "valid"
    assert "PNOLA-LA" in info["cert"]["subjectDN"]


def test_authorized_hash_is_signed_once_with_the_citizen_key(live: Live) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes as h
    from cryptography.hazmat.primitives.asymmetric import ec, utils

    citizen = live.citizen()
    digest = random_hash()
    granted = authorize(live, citizen, [digest])
    assert granted["status"] == 200 and granted["expiresIn"] == 300
    assert granted["verificationCode"] == verification_code([digest])
    signed = sign(live, citizen, granted["SAD"], [digest])
    assert signed["status"] == 200
    info = live.post(citizen, "/csc/v2/credentials/info",
                     {"credentialID": citizen.credential_id}).json()
    cert = x509.load_der_x509_certificate(base64.b64decode(info["cert"]["certificates"][0]))
    public = cert.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(base64.b64decode(signed["signatures"][0]), digest,
                  ec.ECDSA(utils.Prehashed(h.SHA256())))
    assert sign(live, citizen, granted["SAD"], [digest])["error"] == "invalid_sad"


def test_sad_does_not_cover_another_hash_or_more_signatures(live: Live) -> None:
    citizen = live.citizen()
    first, second = random_hash(), random_hash()
    granted = authorize(live, citizen, [first])
    assert sign(live, citizen, granted["SAD"], [second])["error"] == "invalid_sad"
    assert sign(live, citizen, granted["SAD"], [first, second])["error"] == "invalid_sad"
    assert sign(live, citizen, "made-up-sad", [first])["error"] == "invalid_sad"
    assert sign(live, citizen, granted["SAD"], [first])["status"] == 200


def test_sad_of_one_citizen_is_useless_to_another(live: Live) -> None:
    alice, mallory = live.citizen(), live.citizen()
    digest = random_hash()
    granted = authorize(live, alice, [digest])
    stolen = dict(mallory.__dict__)
    stolen_citizen = Citizen(**{**stolen, "credential_id": alice.credential_id})
    assert sign(live, stolen_citizen, granted["SAD"], [digest])["error"] == "invalid_credential"
    assert sign(live, mallory, granted["SAD"], [digest])["error"] == "invalid_sad"


def test_wrong_and_replayed_codes_are_refused(live: Live) -> None:
    citizen = live.citizen()
    digest = random_hash()
    assert authorize(live, citizen, [digest], otp="000000")["error"] == "invalid_otp"
    code = citizen.code()
    assert authorize(live, citizen, [digest], otp=code)["status"] == 200
    assert authorize(live, citizen, [random_hash()], otp=code)["error"] == "invalid_otp"


def test_no_token_or_a_forged_token_is_refused(live: Live) -> None:
    citizen = live.citizen()
    assert live.post(None, "/csc/v2/credentials/list", {}).status_code == 401
    forged = Citizen(**{**citizen.__dict__, "token": citizen.token[:-4] + "AAAA"})
    response = live.post(forged, "/csc/v2/credentials/list", {})
    assert response.status_code == 401 and response.json()["error"] == "invalid_token"


def test_low_assurance_citizens_get_no_signing_key(live: Live) -> None:
    citizen = live.citizen(level=AssuranceLevel.LOW, enrol=False)
    response = live.post(citizen, "/signing/credentials", {})
    assert response.status_code == 403 and response.json()["error"] == "not_eligible"


def test_after_revocation_nothing_is_signed_and_ocsp_says_revoked(live: Live) -> None:
    citizen = live.citizen()
    digest = random_hash()
    granted = authorize(live, citizen, [digest])
    revoked = live.post(citizen, "/signing/credentials/revoke",
                        {"credentialID": citizen.credential_id})
    assert revoked.json()["status"] == "revoked"
    assert sign(live, citizen, granted["SAD"], [digest])["error"] == "credential_revoked"
    assert authorize(live, citizen, [random_hash()])["error"] == "credential_revoked"


def test_malformed_hashes_are_refused_before_the_code_is_spent(live: Live) -> None:
    citizen = live.citizen()
    response = live.post(citizen, "/csc/v2/credentials/authorize", {
        "credentialID": citizen.credential_id, "numSignatures": 1,
        "hashes": [b64(hashlib.sha1(b"x").digest())], "hashAlgorithmOID": SHA256_OID,
        "OTP": citizen.code(),
    })
    assert response.json()["error"] == "invalid_hash"
    citizen.last_step -= 1  # the same code still works: nothing was spent
    assert authorize(live, citizen, [random_hash()])["status"] == 200
