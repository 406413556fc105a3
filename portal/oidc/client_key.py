"""The portal's private_key_jwt key (RFC 7523 section 2.2), kept encrypted in the state dir.

``<state_dir>/portal/oidc-client-key.pem``: an ECDSA P-256 key, PKCS#8 encrypted with the
deployment's key passphrase, mode 0600. Only its public half ever leaves the state dir (as
the JWK Set registered with the identity provider).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc.jwk import ECKey

from onedoor.config import Settings
from onedoor.errors import ConfigurationError

KEY_FILE = Path("portal") / "oidc-client-key.pem"


def key_path(settings: Settings) -> Path:
    return settings.state_dir / KEY_FILE


def create_client_key(settings: Settings) -> None:
    """Write a new key unless one exists (never overwrites)."""
    path = key_path(settings)
    if path.exists():
        return
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(settings.resolve_key_passphrase(create=True)),
    )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def load_client_key(settings: Settings) -> ECKey:
    """The private key as a JWK (``kid`` = RFC 7638 thumbprint, ``alg`` ES256)."""
    path = key_path(settings)
    try:
        private = serialization.load_pem_private_key(
            path.read_bytes(), password=settings.resolve_key_passphrase()
        )
    except OSError as exc:
        raise ConfigurationError(f"cannot read the portal client key {path}") from exc
    except (ValueError, TypeError) as exc:
        raise ConfigurationError(
            "cannot decrypt the portal client key (wrong key passphrase?)"
        ) from exc
    if not isinstance(private, ec.EllipticCurvePrivateKey) or not isinstance(
        private.curve, ec.SECP256R1
    ):
        raise ConfigurationError("the portal client key is not a P-256 key")
    key = ECKey.import_key(private, {"alg": "ES256", "use": "sig"})
    key.ensure_kid()
    return key


def public_jwks(key: ECKey) -> dict[str, Any]:
    """The JWK Set registered with the identity provider: the public half only."""
    return {"keys": [dict(key.as_dict(private=False))]}
