"""The CSC API v2 routes under the idp (Cloud Signature Consortium API v2.0, section 11).

    POST /csc/v2/info                     service information (11.1)
    POST /csc/v2/credentials/list         the caller's credential ids (11.4)
    POST /csc/v2/credentials/info         key, certificate chain, SCAL 2, OTP (11.5)
    POST /csc/v2/credentials/authorize    TOTP -> SAD bound to hashes + verification code (11.6)
    POST /csc/v2/signatures/signHash      sign hashes covered by the SAD (11.9)
    POST /signing/credentials             OneDoor: create the caller's signing credential
    POST /signing/credentials/revoke      OneDoor: revoke it (lost phone)

The caller is a citizen holding an access token of this IdP (RFC 6750 bearer, RFC 9068 JWT).
Errors are CSC / OAuth bodies ``{"error", "error_description"}`` and roll the transaction back.
"""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from idp.accounts.models import Account
from idp.oidc.errors import OAuthError
from idp.oidc.tokens import verify_access_token
from idp.signing import algorithms
from idp.signing.activation import authorize
from idp.signing.context import MAX_SIGNATURES, SigningContext
from idp.signing.contextholder import SigningContextHolder
from idp.signing.credentials import (
    certificate_of,
    credentials_of,
    enrol_credential,
    get_credential,
    revoke_credential,
)
from idp.signing.errors import InvalidOtpError
from idp.signing.models import ACTIVE, SigningCredential
from idp.signing.service import sign_hashes
from onedoor.db import transaction
from onedoor.errors import OneDoorError
from onedoor.runtime import Runtime, RuntimeDep, SessionDep

router = APIRouter(tags=["signing"])


class CscApiError(Exception):
    """A failure rendered as a CSC error body (OAuth 2.0 style, CSC API v2 section 10.1)."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status, self.error, self.description = status, error, description

    @classmethod
    def of(cls, exc: OneDoorError) -> CscApiError:
        error = exc.error if isinstance(exc, OAuthError) else exc.code
        return cls(exc.http_status, error, exc.message)


class _Body(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore", str_max_length=4096)


class ListRequest(_Body):
    only_valid: bool = Field(default=False, alias="onlyValid")


class InfoRequest(_Body):
    credential_id: str = Field(alias="credentialID", max_length=64)
    certificates: str = Field(default="single", pattern="^(none|single|chain)$")
    cert_info: bool = Field(default=False, alias="certInfo")


class AuthorizeRequest(_Body):
    credential_id: str = Field(alias="credentialID", max_length=64)
    num_signatures: int = Field(alias="numSignatures", ge=1, le=MAX_SIGNATURES)
    hashes: list[str] = Field(max_length=MAX_SIGNATURES)
    hash_algorithm_oid: str | None = Field(default=None, alias="hashAlgorithmOID")
    otp: str = Field(alias="OTP", max_length=16)


class SignHashRequest(_Body):
    credential_id: str = Field(alias="credentialID", max_length=64)
    sad: str = Field(alias="SAD", max_length=128)
    hashes: list[str] = Field(max_length=MAX_SIGNATURES)
    hash_algorithm_oid: str | None = Field(default=None, alias="hashAlgorithmOID")
    sign_algo: str = Field(alias="signAlgo", max_length=64)


class CredentialRequest(_Body):
    credential_id: str = Field(alias="credentialID", max_length=64)


def signing_context(request: Request) -> SigningContext:
    holder: SigningContextHolder = request.app.state.signing
    try:
        return holder.get()
    except OneDoorError as exc:
        raise CscApiError.of(exc) from exc


def current_account(request: Request, session: SessionDep) -> Account:
    """The citizen named by the bearer access token (RFC 6750 section 2.1)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise CscApiError(401, "invalid_token", "a bearer access token is required")
    try:
        active = verify_access_token(session, request.app.state.oidc_provider, token.strip())
    except OneDoorError as exc:
        raise CscApiError(401, "invalid_token", "the access token is invalid") from exc
    account = session.scalars(
        select(Account).where(Account.subject == str(active.claims["sub"]))
    ).one_or_none()
    if account is None or not account.active:
        raise CscApiError(401, "invalid_token", "the access token is invalid")
    return account


ContextDep = Annotated[SigningContext, Depends(signing_context)]
AccountDep = Annotated[Account, Depends(current_account)]


def _b64(der: bytes) -> str:
    return base64.b64encode(der).decode("ascii")


@router.post("/csc/v2/info", summary="CSC API v2 11.1 info")
def info() -> dict[str, Any]:
    return {
        "specs": "2.0.0.2",
        "name": "OneDoor remote signing service",
        "region": "LA",
        "lang": "en-US",
        "authType": ["oauth2code"],
        "methods": [
            "credentials/list", "credentials/info", "credentials/authorize", "signatures/signHash",
        ],
    }


@router.post("/csc/v2/credentials/list", summary="CSC API v2 11.4 credentials/list")
def credentials_list(body: ListRequest, session: SessionDep, account: AccountDep) -> dict[str, Any]:
    rows = credentials_of(session, account_id=account.id)
    if body.only_valid:
        rows = [row for row in rows if row.status == ACTIVE]
    return {"credentialIDs": [row.id for row in rows]}


@router.post("/csc/v2/credentials/info", summary="CSC API v2 11.5 credentials/info")
def credentials_info(
    body: InfoRequest, session: SessionDep, account: AccountDep, context: ContextDep
) -> dict[str, Any]:
    try:
        credential = get_credential(session, account_id=account.id,
                                    credential_id=body.credential_id)
    except OneDoorError as exc:
        raise CscApiError.of(exc) from exc
    return describe(credential, context=context, certificates=body.certificates,
                    cert_info=body.cert_info)


def describe(
    credential: SigningCredential, *, context: SigningContext, certificates: str, cert_info: bool
) -> dict[str, Any]:
    """The credentials/info body (CSC API v2 section 11.5)."""
    from cryptography.hazmat.primitives.serialization import Encoding

    certificate = certificate_of(credential)
    chain = [certificate]
    if certificates == "chain":
        chain += list(context.pki.chain(credential.issuer))
    cert: dict[str, Any] = {"status": "valid" if credential.status == ACTIVE else "revoked"}
    if certificates != "none":
        cert["certificates"] = [_b64(c.public_bytes(Encoding.DER)) for c in chain]
    if cert_info:
        cert.update(
            issuerDN=certificate.issuer.rfc4514_string(),
            serialNumber=credential.serial,
            subjectDN=certificate.subject.rfc4514_string(),
            validFrom=certificate.not_valid_before_utc.strftime("%Y%m%d%H%M%SZ"),
            validTo=certificate.not_valid_after_utc.strftime("%Y%m%d%H%M%SZ"),
        )
    return {
        "description": "OneDoor citizen signing key",
        "key": {
            "status": "enabled" if credential.status == ACTIVE else "disabled",
            "algo": [algorithms.ECDSA_SHA256_OID],
            "len": 256,
            "curve": algorithms.P256_OID,
        },
        "cert": cert,
        "authMode": "explicit",
        "SCAL": "2",
        "OTP": {
            "presence": "true", "type": "online", "ID": "totp", "format": "N",
            "label": "Authenticator app code",
        },
        "multisign": MAX_SIGNATURES,
        "lang": "en-US",
    }


@router.post("/csc/v2/credentials/authorize", summary="CSC API v2 11.6 credentials/authorize")
def credentials_authorize(
    body: AuthorizeRequest,
    request: Request,
    runtime: RuntimeDep,
    account: AccountDep,
    context: ContextDep,
) -> dict[str, Any]:
    failure: InvalidOtpError | None = None
    with transaction(runtime.sessions) as session:
        try:
            result = authorize(
                session, context=context, account_id=account.id,
                credential_id=body.credential_id, num_signatures=body.num_signatures,
                hashes=body.hashes, hash_algorithm_oid=body.hash_algorithm_oid, otp=body.otp,
                source=request.client.host if request.client else "unknown",
            )
        except InvalidOtpError as exc:
            failure = exc  # commit the failure counters, then refuse
        except OneDoorError as exc:
            raise CscApiError.of(exc) from exc
    if failure is not None:
        raise CscApiError.of(failure)
    return {
        "SAD": result.sad,
        "expiresIn": result.expires_in,
        "verificationCode": result.verification_code,  # OneDoor extension (idp.signing.vcode)
    }


@router.post("/csc/v2/signatures/signHash", summary="CSC API v2 11.9 signatures/signHash")
def signatures_sign_hash(
    body: SignHashRequest, runtime: RuntimeDep, account: AccountDep, context: ContextDep
) -> dict[str, Any]:
    signatures = _call(
        sign_hashes, runtime, context=context, account_id=account.id,
        credential_id=body.credential_id, sad=body.sad, hashes=body.hashes,
        hash_algorithm_oid=body.hash_algorithm_oid, sign_algo=body.sign_algo,
    )
    return {"signatures": [_b64(value) for value in signatures]}


@router.post("/signing/credentials", summary="Create the caller's signing key and certificate")
def create_credential(
    runtime: RuntimeDep, account: AccountDep, context: ContextDep
) -> dict[str, Any]:
    credential = _call(enrol_credential, runtime, context=context, account_id=account.id)
    return describe(credential, context=context, certificates="chain", cert_info=True) | {
        "credentialID": credential.id
    }


@router.post("/signing/credentials/revoke", summary="Revoke the caller's certificate")
def revoke(
    body: CredentialRequest, runtime: RuntimeDep, account: AccountDep, context: ContextDep
) -> dict[str, Any]:
    credential = _call(revoke_credential, runtime, context=context, account_id=account.id,
                       credential_id=body.credential_id)
    return {"credentialID": credential.id, "status": credential.status}


def _call(function: Any, runtime: Runtime, **kwargs: Any) -> Any:
    """``function`` in its own transaction, committed before the response is sent."""
    try:
        with transaction(runtime.sessions) as session:
            return function(session, **kwargs)
    except OneDoorError as exc:
        raise CscApiError.of(exc) from exc


def install_signing(
    app: FastAPI, runtime: Runtime, *, context: SigningContext | None = None
) -> SigningContextHolder:
    """Add the signing routes to the idp app (after the OpenID provider is installed)."""
    holder = SigningContextHolder(runtime.settings, context=context)
    app.state.signing = holder
    app.include_router(router)

    @app.exception_handler(CscApiError)
    async def _csc_error(_request: Request, exc: CscApiError) -> JSONResponse:
        challenge = 'Bearer error="invalid_token"'
        headers = {"WWW-Authenticate": challenge} if exc.status == 401 else None
        return JSONResponse(
            {"error": exc.error, "error_description": exc.description},
            status_code=exc.status,
            headers=headers,
        )

    return holder
