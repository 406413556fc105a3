"""Provider metadata (OpenID Connect Discovery 1.0 section 3, RFC 8414 2)."""

from __future__ import annotations

from typing import Any

from idp.oidc import acr
from idp.oidc.clients import AUTH_METHODS
from idp.oidc.grants import SUPPORTED as GRANT_TYPES
from idp.oidc.jose import ASYMMETRIC_ALGORITHMS
from idp.oidc.keystore import SIGNING_ALGORITHMS
from idp.oidc.provider import ENDPOINTS, Provider

SCOPES = ("openid", "profile", "email", "phone", "address", "offline_access")
CLAIMS = (
    "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "sid", "at_hash",
    "name", "given_name", "family_name", "birthdate", "gender", "email", "phone_number",
    "address", "locale",
)


def metadata(provider: Provider) -> dict[str, Any]:
    """The /.well-known/openid-configuration document."""
    document: dict[str, Any] = {"issuer": provider.issuer}
    document.update({name: provider.url(name) for name in ENDPOINTS})
    document.update(
        scopes_supported=list(SCOPES),
        response_types_supported=["code"],
        response_modes_supported=["query"],
        grant_types_supported=list(GRANT_TYPES),
        subject_types_supported=["public"],
        id_token_signing_alg_values_supported=list(SIGNING_ALGORITHMS),
        token_endpoint_auth_methods_supported=list(AUTH_METHODS),
        token_endpoint_auth_signing_alg_values_supported=list(ASYMMETRIC_ALGORITHMS),
        introspection_endpoint_auth_methods_supported=list(AUTH_METHODS),
        introspection_endpoint_auth_signing_alg_values_supported=list(ASYMMETRIC_ALGORITHMS),
        revocation_endpoint_auth_methods_supported=list(AUTH_METHODS),
        revocation_endpoint_auth_signing_alg_values_supported=list(ASYMMETRIC_ALGORITHMS),
        code_challenge_methods_supported=["S256"],
        acr_values_supported=list(acr.LEVELS),
        claims_supported=list(CLAIMS),
        prompt_values_supported=["none", "login"],
        claims_parameter_supported=False,
        request_parameter_supported=False,
        request_uri_parameter_supported=False,
        authorization_response_iss_parameter_supported=True,
        access_token_signing_alg_values_supported=["ES256"],
    )
    return document
