"""Provider signing keys in the database, private halves sealed with AES-GCM (RFC 7517 JWK).

The sealing key is derived with scrypt from the deployment's key passphrase and a per-key salt,
so every replica that shares the passphrase can sign, and a database dump alone cannot.
Retired keys stay published until every token they signed has expired.
"""

from __future__ import annotations

import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy import select
from sqlalchemy.orm import Session

from idp.oidc.jose import generate_private_jwk, public_jwk
from idp.oidc.models import SigningKey
from onedoor.errors import ConfigurationError

SIGNING_ALGORITHMS = ("ES256", "RS256")
# How long a replica keeps signing with the key it last saw active: well under the leeway the
# JWKS grace period adds, so a key retired on another replica stays published long enough.
ACTIVE_KEY_TTL = 10


class KeyStore:
    """Signing keys: create, rotate, unseal (cached per process), publish."""

    def __init__(self, passphrase: bytes, *, publish_after_retirement: int) -> None:
        self._passphrase = passphrase
        self._grace = publish_after_retirement
        self._unsealed: dict[str, dict[str, Any]] = {}
        self._active_kid: dict[str, tuple[str, int]] = {}  # alg -> (kid, seen at)

    def _sealing_key(self, salt: bytes) -> AESGCM:
        kdf = Scrypt(salt=salt, length=32, n=2**14, r=8, p=1)
        return AESGCM(kdf.derive(self._passphrase))

    def create(self, session: Session, *, alg: str, now: int) -> SigningKey:
        """A new active key for ``alg``."""
        private = generate_private_jwk(alg)
        salt, nonce = os.urandom(16), os.urandom(12)
        kid = str(private["kid"])
        sealed = self._sealing_key(salt).encrypt(
            nonce, json.dumps(private).encode(), kid.encode()
        )
        row = SigningKey(
            kid=kid,
            alg=alg,
            public_jwk=public_jwk(private),
            sealed_private=nonce + sealed,
            salt=salt,
            created_at=now,
        )
        session.add(row)
        session.flush()
        self._unsealed[kid] = private
        return row

    def rotate(self, session: Session, *, now: int) -> list[SigningKey]:
        """Retire every active key and create a new one per algorithm."""
        for row in session.scalars(select(SigningKey).where(SigningKey.retired_at.is_(None))):
            row.retired_at = now
        self._active_kid.clear()
        return [self.create(session, alg=alg, now=now) for alg in SIGNING_ALGORITHMS]

    def ensure(self, session: Session, *, now: int) -> None:
        """Create a key for each algorithm that has none active (first start)."""
        for alg in SIGNING_ALGORITHMS:
            if self._active(session, alg) is None:
                self.create(session, alg=alg, now=now)

    def _active(self, session: Session, alg: str) -> SigningKey | None:
        query = (
            select(SigningKey)
            .where(SigningKey.alg == alg, SigningKey.retired_at.is_(None))
            .order_by(SigningKey.created_at.desc(), SigningKey.kid)
            .limit(1)
        )
        return session.scalars(query).first()

    def signing_key(self, session: Session, *, alg: str, now: int) -> dict[str, Any]:
        """The private JWK of the newest active key for ``alg``, created if missing.

        The active key's id is remembered for ``ACTIVE_KEY_TTL`` seconds, so issuing a token
        needs no query; unsealing (scrypt) happens once per key and process.
        """
        kid, seen = self._active_kid.get(alg, ("", -ACTIVE_KEY_TTL))
        if kid in self._unsealed and 0 <= now - seen < ACTIVE_KEY_TTL:
            return self._unsealed[kid]
        row = self._active(session, alg) or self.create(session, alg=alg, now=now)
        cached = self._unsealed.get(row.kid)
        if cached is None:
            cached = self._unseal(row)
            self._unsealed[row.kid] = cached
        self._active_kid[alg] = (row.kid, now)
        return cached

    def _unseal(self, row: SigningKey) -> dict[str, Any]:
        nonce, sealed = row.sealed_private[:12], row.sealed_private[12:]
        try:
            plain = self._sealing_key(row.salt).decrypt(nonce, sealed, row.kid.encode())
        except InvalidTag as exc:
            raise ConfigurationError(
                f"signing key {row.kid} cannot be unsealed: wrong key passphrase"
            ) from exc
        private: dict[str, Any] = json.loads(plain)
        return private

    def published(self, session: Session, *, now: int) -> list[dict[str, Any]]:
        """Public JWKs of active keys and of retired keys whose tokens may still be valid."""
        rows = session.scalars(select(SigningKey).order_by(SigningKey.created_at.desc()))
        return [
            dict(row.public_jwk)
            for row in rows
            if row.retired_at is None or row.retired_at + self._grace > now
        ]

    def all_keys(self, session: Session) -> list[SigningKey]:
        return list(session.scalars(select(SigningKey).order_by(SigningKey.created_at)))
