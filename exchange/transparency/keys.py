"""The log's two secrets, kept in ``<state_dir>/transparency/`` until the PKI holds them.

``pseudonym.key``     32 random bytes (hex) keying the subject pseudonyms; losing it makes
                      per-citizen search impossible, leaking it lets anyone test an id.
``tree-head-key.pem`` the ECDSA P-256 key signing tree heads, PKCS#8 encrypted with the
                      settings' key passphrase.

Both files are mode 0600 in a 0700 folder. In development they are created on first use; in
production they must be created on purpose (``onedoor audit init-keys``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from exchange.transparency.pseudonym import HmacPseudonymizer
from exchange.transparency.tree_head import EcdsaP256Signer, EcdsaP256Verifier
from onedoor.config import Settings
from onedoor.errors import ConfigurationError

PSEUDONYM_KEY_FILE = "pseudonym.key"
TREE_HEAD_KEY_FILE = "tree-head-key.pem"


@dataclass(frozen=True)
class LogKeys:
    pseudonymizer: HmacPseudonymizer
    signer: EcdsaP256Signer

    @property
    def verifier(self) -> EcdsaP256Verifier:
        return self.signer.verifier()


def keys_dir(settings: Settings) -> Path:
    return settings.state_dir / "transparency"


def _write_new(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)


def create_log_keys(
    settings: Settings, *, random_bytes: Callable[[int], bytes] = os.urandom
) -> None:
    """Create whichever of the two key files is missing; never overwrite one."""
    folder = keys_dir(settings)
    if not (folder / PSEUDONYM_KEY_FILE).exists():
        _write_new(folder / PSEUDONYM_KEY_FILE, random_bytes(32).hex().encode() + b"\n")
    if not (folder / TREE_HEAD_KEY_FILE).exists():
        passphrase = settings.resolve_key_passphrase(create=True)
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase),
        )
        _write_new(folder / TREE_HEAD_KEY_FILE, pem)


def load_or_create_log_keys(settings: Settings) -> LogKeys:
    """The pseudonym key and tree-head signer; created first in development."""
    folder = keys_dir(settings)
    if settings.environment == "development":
        create_log_keys(settings)
    try:
        key = bytes.fromhex((folder / PSEUDONYM_KEY_FILE).read_text().strip())
        pem = (folder / TREE_HEAD_KEY_FILE).read_bytes()
    except FileNotFoundError as exc:
        raise ConfigurationError(
            f"transparency log key {exc.filename} is missing; create it with "
            "`onedoor audit init-keys`"
        ) from exc
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"cannot read the transparency log keys in {folder}") from exc
    try:
        private = serialization.load_pem_private_key(
            pem, password=settings.resolve_key_passphrase()
        )
    except (ValueError, TypeError) as exc:
        raise ConfigurationError(
            "cannot decrypt the tree-head key (wrong key passphrase?)"
        ) from exc
    if not isinstance(private, ec.EllipticCurvePrivateKey):
        raise ConfigurationError("the tree-head key is not an EC key")
    try:
        return LogKeys(pseudonymizer=HmacPseudonymizer(key), signer=EcdsaP256Signer(private))
    except ValueError as exc:
        raise ConfigurationError(f"unusable transparency log key: {exc}") from exc
