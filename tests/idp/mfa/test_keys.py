"""Sealed second-factor secrets: tampering, moving between records and lost keys fail closed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from idp.mfa.errors import SecretUnavailableError
from idp.mfa.keys import KEY_FILE_NAME, MfaKeys, load_mfa_keys
from onedoor.config import Settings
from onedoor.errors import ConfigurationError


def test_sealed_secret_opens_only_with_its_context_and_intact() -> None:
    keys = MfaKeys.generate()
    sealed = keys.seal(b"seed", context="totp:1")
    assert b"seed" not in sealed
    assert keys.open(sealed, context="totp:1") == b"seed"
    with pytest.raises(SecretUnavailableError):
        keys.open(sealed, context="totp:2")
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    for broken in (tampered, b"", b"\x02" + sealed[1:], sealed[:10]):
        with pytest.raises(SecretUnavailableError):
            keys.open(broken, context="totp:1")
    with pytest.raises(SecretUnavailableError):
        MfaKeys.generate().open(sealed, context="totp:1")


def test_rotation_keeps_old_secrets_readable() -> None:
    old = MfaKeys.generate("k1")
    sealed = old.seal(b"seed", context="c")
    rotated = MfaKeys(keys={**old.keys, "k2": bytes(32)}, current="k2", pepper=old.pepper)
    assert rotated.open(sealed, context="c") == b"seed"
    assert rotated.seal(b"x", context="c")[2:4] == b"k2"


def test_key_file_is_created_private_in_development_only(
    settings: Settings, tmp_path: Path
) -> None:
    keys = load_mfa_keys(settings, create=True)
    path = settings.state_dir / "secrets" / KEY_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_mfa_keys(settings).pepper == keys.pepper
    assert repr(keys) == "MfaKeys(current='k1')"  # key material never reaches a log
    production = Settings(
        environment="production", state_dir=tmp_path / "prod", key_passphrase="x",
        database_url="postgresql+psycopg://u@localhost/db",
    )
    with pytest.raises(ConfigurationError):
        load_mfa_keys(production, create=True)
    path.write_text("{not json")
    with pytest.raises(ConfigurationError):
        load_mfa_keys(settings)
