"""The log's keys live in the state dir, private to the owner, and are never replaced."""

from __future__ import annotations

import stat

import pytest

from exchange.transparency.keys import (
    PSEUDONYM_KEY_FILE,
    TREE_HEAD_KEY_FILE,
    keys_dir,
    load_or_create_log_keys,
)
from exchange.transparency.tree_head import sign_head
from onedoor.config import Settings
from onedoor.errors import ConfigurationError


def test_development_creates_private_key_files_once(settings: Settings) -> None:
    first = load_or_create_log_keys(settings)
    folder = keys_dir(settings)
    for name in (PSEUDONYM_KEY_FILE, TREE_HEAD_KEY_FILE):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    assert b"ENCRYPTED" in (folder / TREE_HEAD_KEY_FILE).read_bytes()
    again = load_or_create_log_keys(settings)
    assert again.pseudonymizer.pseudonym("42") == first.pseudonymizer.pseudonym("42")
    head = sign_head(first.signer, tree_size=1, timestamp=1, root_hash=b"\x00" * 32)
    head.verify(again.verifier)


def test_production_never_creates_keys(settings: Settings) -> None:
    production = settings.model_copy(update={"environment": "production"})
    with pytest.raises(ConfigurationError, match="init-keys"):
        load_or_create_log_keys(production)


def test_a_wrong_passphrase_is_a_configuration_error(settings: Settings) -> None:
    load_or_create_log_keys(settings)
    other = Settings(state_dir=settings.state_dir, key_passphrase="not the passphrase")
    with pytest.raises(ConfigurationError, match="passphrase"):
        load_or_create_log_keys(other)
