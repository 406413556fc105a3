"""The portal's calls to the IdP's remote signing service (CSC API v2) with the citizen's token.

Every failure becomes a :class:`SigningFailedError` with the service's error code, except a
refused one-time code (:class:`WrongCodeError`: the citizen types it again) and a refused
access token (SignInRequiredError: the citizen signs in again).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import httpx

from idp.signing.algorithms import ECDSA_SHA256_OID, SHA256_OID
from portal.errors import PortalError, SignInRequiredError

TIMEOUT = httpx.Timeout(30.0)


class SigningFailedError(PortalError):
    """The signing service could not sign the document. Nothing was signed."""

    code = "signing_failed"
    http_status = 502


class WrongCodeError(PortalError):
    """The code from the authenticator app was not accepted."""

    code = "invalid_otp"
    http_status = 400


@dataclass(frozen=True)
class Authorization:
    sad: str
    verification_code: str


class CscClient:
    """credentials/list, info, authorize, signatures/signHash and OneDoor's key creation."""

    def __init__(self, *, idp_url: str, http: httpx.Client) -> None:
        self.idp_url = idp_url.rstrip("/")
        self._http = http

    def _post(self, path: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self._http.post(
                f"{self.idp_url}{path}", json=body, headers={"authorization": f"Bearer {token}"},
                timeout=TIMEOUT,
            )
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise SigningFailedError(f"signing service unreachable ({type(exc).__name__})") from exc
        if response.status_code == 401:
            raise SignInRequiredError("the access token expired; sign in again to sign")
        if response.status_code != 200 or not isinstance(data, dict):
            error = data.get("error") if isinstance(data, dict) else None
            if error == "invalid_otp":
                raise WrongCodeError()
            raise SigningFailedError(f"{path} refused: {error or response.status_code}")
        return data

    def active_credential(self, token: str) -> str | None:
        """The citizen's first valid credential id, or None (CSC API v2 11.4)."""
        ids = self._post("/csc/v2/credentials/list", token, {"onlyValid": True})
        found = ids.get("credentialIDs") or []
        return str(found[0]) if found else None

    def credential_info(self, token: str, credential_id: str) -> dict[str, Any]:
        """Key, certificate and chain (CSC API v2 11.5)."""
        return self._post("/csc/v2/credentials/info", token, {
            "credentialID": credential_id, "certificates": "chain", "certInfo": True,
        })

    def create_credential(self, token: str) -> str:
        """A new signing key and certificate for the citizen (OneDoor extension)."""
        return str(self._post("/signing/credentials", token, {})["credentialID"])

    def authorize(
        self, token: str, *, credential_id: str, digest: bytes, otp: str
    ) -> Authorization:
        """SAD for exactly ``digest``, released by the one-time code (CSC API v2 11.6)."""
        data = self._post("/csc/v2/credentials/authorize", token, {
            "credentialID": credential_id, "numSignatures": 1,
            "hashes": [base64.b64encode(digest).decode()], "hashAlgorithmOID": SHA256_OID,
            "OTP": otp,
        })
        return Authorization(str(data["SAD"]), str(data.get("verificationCode", "")))

    def sign_hash(self, token: str, *, credential_id: str, sad: str, digest: bytes) -> bytes:
        """The DER ECDSA signature of ``digest`` (CSC API v2 11.9)."""
        data = self._post("/csc/v2/signatures/signHash", token, {
            "credentialID": credential_id, "SAD": sad,
            "hashes": [base64.b64encode(digest).decode()], "hashAlgorithmOID": SHA256_OID,
            "signAlgo": ECDSA_SHA256_OID,
        })
        try:
            return base64.b64decode(data["signatures"][0])
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise SigningFailedError("signHash answered no signature") from exc
