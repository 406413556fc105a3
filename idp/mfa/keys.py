"""Keys protecting second-factor secrets at rest: AES-256-GCM sealing and an HMAC pepper.

The key file (``<state_dir>/secrets/idp-mfa-keys.json``, mode 0600, created on first use in
development) holds named AES keys, the name of the current one and the pepper. Sealed values
carry the key name, so adding a key and making it current rotates without re-encrypting;
old keys stay until no record uses them. The associated data binds a ciphertext to its
record (e.g. ``totp:<account id>``), so a sealed secret copied to another row does not open.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from idp.mfa.errors import SecretUnavailableError
from onedoor.config import Settings
from onedoor.errors import ConfigurationError

KEY_FILE_NAME = "idp-mfa-keys.json"
_VERSION = 1


@dataclass(frozen=True)
class MfaKeys:
    """Named 32-byte AES keys (``current`` seals) and a 32-byte pepper for code digests."""

    keys: dict[str, bytes] = field(repr=False)
    current: str
    pepper: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if self.current not in self.keys:
            raise ConfigurationError("the current MFA key is not among the keys")
        if any(len(key) != 32 for key in self.keys.values()) or len(self.pepper) < 32:
            raise ConfigurationError("MFA keys and pepper must be 32 bytes")
        if any(not name.isascii() or not 0 < len(name) < 256 for name in self.keys):
            raise ConfigurationError("MFA key names must be short ASCII strings")

    @classmethod
    def generate(cls, name: str = "k1") -> MfaKeys:
        return cls(keys={name: AESGCM.generate_key(256)}, current=name,
                   pepper=secrets.token_bytes(32))

    def seal(self, plaintext: bytes, *, context: str) -> bytes:
        """version | name length | name | 12-byte nonce | ciphertext and tag."""
        name = self.current.encode("ascii")
        nonce = os.urandom(12)
        sealed = AESGCM(self.keys[self.current]).encrypt(nonce, plaintext, context.encode())
        return bytes([_VERSION, len(name)]) + name + nonce + sealed

    def open(self, sealed: bytes, *, context: str) -> bytes:
        try:
            if sealed[0] != _VERSION:
                raise SecretUnavailableError()
            end = 2 + sealed[1]
            key = self.keys[sealed[2:end].decode("ascii")]
            nonce, body = sealed[end : end + 12], sealed[end + 12 :]
            return AESGCM(key).decrypt(nonce, body, context.encode())
        except (IndexError, KeyError, UnicodeDecodeError, InvalidTag, ValueError) as exc:
            raise SecretUnavailableError() from exc

    def digest(self, data: bytes, *, purpose: str) -> bytes:
        """HMAC-SHA256 under the pepper, domain-separated by ``purpose``."""
        mac = hmac.HMAC(self.pepper, hashes.SHA256())
        mac.update(purpose.encode() + b"\x00" + data)
        return mac.finalize()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def load_mfa_keys(settings: Settings, *, create: bool = False) -> MfaKeys:
    """Read the key file from the state dir; in development create it when asked."""
    path: Path = settings.state_dir / "secrets" / KEY_FILE_NAME
    if not path.exists():
        if not create or settings.environment != "development":
            raise ConfigurationError(f"MFA key file {path} is missing")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fresh = MfaKeys.generate()
        document = {
            "current": fresh.current,
            "keys": {name: _b64(key) for name, key in fresh.keys.items()},
            "pepper": _b64(fresh.pepper),
        }
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(document, handle)
    try:
        document = json.loads(path.read_text())
        return MfaKeys(
            keys={name: base64.b64decode(key) for name, key in document["keys"].items()},
            current=document["current"],
            pepper=base64.b64decode(document["pepper"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigurationError(f"MFA key file {path} is not usable") from exc
