"""A CSC API v2 client for pyHanko: the signature creation side of the remote signing service.

pyHanko's CSCSigner speaks CSC v1 field names; this adapter sends the v2 names (``hashes``,
``hashAlgorithmOID``), authorises with the citizen's one-time code bound to the exact hashes,
and checks that the service's verification code equals the one computed here from the same
hashes, so the citizen sees one code on both screens. The private key never leaves the service.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import aiohttp
from asn1crypto import algos
from asn1crypto import x509 as asn1_x509
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.csc_signer import (
    CSCAuthorizationInfo,
    CSCAuthorizationManager,
    CSCCredentialInfo,
    CSCServiceSessionInfo,
    CSCSigner,
    fetch_certs_in_csc_credential,
)

from idp.signing.algorithms import SHA256_OID
from idp.signing.vcode import verification_code


class CscV2AuthorizationManager(CSCAuthorizationManager):
    """credentials/authorize with the citizen's TOTP, for exactly the hashes about to be signed."""

    def __init__(
        self,
        session_info: CSCServiceSessionInfo,
        credential_info: CSCCredentialInfo,
        *,
        http: aiohttp.ClientSession,
        otp: Callable[[], str],
        on_verification_code: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(session_info, credential_info)
        self._http = http
        self._otp = otp
        self._on_code = on_verification_code

    async def authorize_signature(self, hash_b64s: list[str]) -> CSCAuthorizationInfo:
        expected = verification_code([base64.b64decode(value) for value in hash_b64s])
        if self._on_code is not None:
            self._on_code(expected)
        body = {
            "credentialID": self.csc_session_info.credential_id,
            "numSignatures": len(hash_b64s),
            "hashes": hash_b64s,
            "hashAlgorithmOID": SHA256_OID,
            "OTP": self._otp(),
        }
        data = await _post(self._http, self.csc_session_info, "credentials/authorize", body)
        if data.get("verificationCode") != expected:
            raise SigningError("the service's verification code differs from the document's")
        return self.parse_csc_auth_response(data)


class CscV2Signer(CSCSigner):
    """CSCSigner with CSC v2 signHash field names."""

    async def format_csc_signing_req(
        self, tbs_hashes: list[str], digest_algorithm: str
    ) -> dict[str, Any]:
        request: dict[str, Any] = await super().format_csc_signing_req(
            tbs_hashes, digest_algorithm
        )
        request["hashes"] = request.pop("hash")
        request["hashAlgorithmOID"] = request.pop("hashAlgo")
        return request


async def _post(
    http: aiohttp.ClientSession, info: CSCServiceSessionInfo, endpoint: str, body: dict[str, Any]
) -> dict[str, Any]:
    url = f"{info.service_url}/csc/{info.api_ver}/{endpoint}"
    try:
        async with http.post(
            url, json=body, headers=info.auth_headers,
            timeout=aiohttp.ClientTimeout(total=30),
        ) as response:
            data = await response.json(content_type=None)
    except (aiohttp.ClientError, ValueError) as exc:
        raise SigningError(f"{endpoint} failed: {type(exc).__name__}") from exc
    if response.status != 200 or not isinstance(data, dict):
        error = data.get("error") if isinstance(data, dict) else None
        raise SigningError(f"{endpoint} refused: {error or response.status}")
    return data


def credential_info(body: dict[str, Any]) -> CSCCredentialInfo:
    """A credentials/info body (CSC API v2 section 11.5) the caller already holds, parsed.

    The signature creation application keeps it (from enrolment or one earlier info call), so
    a signature needs no credentials/info round trip; raises SigningError if malformed.
    """
    try:
        certs = [asn1_x509.Certificate.load(base64.b64decode(value))
                 for value in body["cert"]["certificates"]]
        mechanisms = frozenset(
            algos.SignedDigestAlgorithmId(oid).native for oid in body["key"]["algo"]
        )
        return CSCCredentialInfo(
            signing_cert=certs[0], chain=certs[1:], supported_mechanisms=mechanisms,
            max_batch_size=int(body["multisign"]),
            hash_pinning_required=str(body.get("SCAL", "1")) == "2", response_data=body,
        )
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise SigningError("the credential description is malformed") from exc


async def open_signer(
    http: aiohttp.ClientSession,
    *,
    service_url: str,
    access_token: str,
    credential_id: str,
    otp: Callable[[], str],
    on_verification_code: Callable[[str], None] | None = None,
    credential: CSCCredentialInfo | None = None,
) -> CscV2Signer:
    """A pyHanko Signer for the citizen's credential at ``service_url`` (the idp's base URL).

    Without ``credential`` it is fetched with credentials/info; pass the one held already to
    save that round trip. ``http`` should be one session reused for every signature.
    """
    info = CSCServiceSessionInfo(
        service_url=service_url, credential_id=credential_id, oauth_token=access_token,
        api_ver="v2",
    )
    if credential is None:
        credential = await fetch_certs_in_csc_credential(http, info)
    manager = CscV2AuthorizationManager(
        info, credential, http=http, otp=otp, on_verification_code=on_verification_code
    )
    return CscV2Signer(http, manager)
