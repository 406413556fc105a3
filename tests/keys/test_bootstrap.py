"""`keys init`: creates the hierarchy once, refuses inconsistent state, never overwrites."""

from __future__ import annotations

import os
import shutil
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from keys.bootstrap import ensure_pki
from keys.errors import (
    KeyPassphraseError,
    PkiFileUnreadableError,
    PkiInconsistentError,
    PkiNotInitialisedError,
)
from keys.layout import ENTITIES, ORGANISATION_CA, ROOT_CA, SERVICES_CA, TIMESTAMP_AUTHORITY
from keys.pki import fingerprint, load_pki
from onedoor.config import Settings
from onedoor.errors import OneDoorError
from tests.keys.conftest import make_settings

ENTITY_FILES = sorted(
    name for spec in ENTITIES for name in (f"{spec.name}.cert.pem", f"{spec.name}.key.pem")
)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Content, mtime and mode of every file below ``folder``."""
    return {
        str(path.relative_to(folder)): (
            path.read_bytes(),
            path.stat().st_mtime_ns,
            path.stat().st_mode,
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "var")


@pytest.fixture
def initialised(settings: Settings) -> Settings:
    ensure_pki(settings)
    return settings


def test_init_creates_every_certificate_and_encrypted_key(initialised: Settings) -> None:
    folder = initialised.keys_dir
    assert sorted(p.name for p in folder.iterdir()) == ENTITY_FILES
    for spec in ENTITIES:
        key_pem = (folder / f"{spec.name}.key.pem").read_bytes()
        assert key_pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
        with pytest.raises(TypeError):  # no key loads without the passphrase
            serialization.load_pem_private_key(key_pem, None)
    pki = load_pki(initialised)
    assert isinstance(pki.custody.private_key(ROOT_CA).curve, ec.SECP384R1)
    assert isinstance(pki.custody.private_key(ORGANISATION_CA).curve, ec.SECP384R1)


def test_private_files_and_folders_have_private_modes(initialised: Settings) -> None:
    folder = initialised.keys_dir
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(initialised.state_dir.stat().st_mode) == 0o700
    for spec in ENTITIES:
        assert stat.S_IMODE((folder / f"{spec.name}.key.pem").stat().st_mode) == 0o600


def test_private_modes_hold_under_a_permissive_umask(settings: Settings) -> None:
    previous = os.umask(0)
    try:
        ensure_pki(settings)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(settings.keys_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((settings.keys_dir / "root-ca.key.pem").stat().st_mode) == 0o600


def test_init_fills_an_existing_empty_folder(settings: Settings) -> None:
    settings.keys_dir.mkdir(parents=True, mode=0o755)
    ensure_pki(settings)
    assert sorted(p.name for p in settings.keys_dir.iterdir()) == ENTITY_FILES
    assert stat.S_IMODE(settings.keys_dir.stat().st_mode) == 0o700


def test_second_init_changes_nothing(initialised: Settings) -> None:
    before = snapshot(initialised.state_dir)
    summary = ensure_pki(initialised)
    assert snapshot(initialised.state_dir) == before
    assert "unchanged" in summary[0]
    assert sorted(p.name for p in initialised.state_dir.iterdir()) == ["pki"]  # no staging left


def test_summary_names_the_root_fingerprint(settings: Settings) -> None:
    summary = ensure_pki(settings)
    assert "created 8 certificates" in summary[0]
    assert summary[1].endswith(fingerprint(load_pki(settings).root))


def test_init_fills_in_a_wholly_missing_entity_and_keeps_the_rest(initialised: Settings) -> None:
    folder = initialised.keys_dir
    (folder / f"{TIMESTAMP_AUTHORITY}.cert.pem").unlink()
    (folder / f"{TIMESTAMP_AUTHORITY}.key.pem").unlink()
    before = snapshot(folder)
    ensure_pki(initialised)
    after = snapshot(folder)
    assert {k: v for k, v in after.items() if not k.startswith(TIMESTAMP_AUTHORITY)} == before
    assert load_pki(initialised).timestamp_authority is not None


def test_clock_is_injectable(settings: Settings) -> None:
    now = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    ensure_pki(settings, clock=lambda: now)
    pki = load_pki(settings)
    assert pki.root.not_valid_before_utc == now - timedelta(minutes=5)
    for certificate in pki.certificates.values():
        assert certificate.not_valid_after_utc <= pki.root.not_valid_after_utc


def test_development_passphrase_is_created_once_and_reused(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path / "var")
    ensure_pki(settings)
    passphrase_file = settings.state_dir / "secrets" / "key-passphrase"
    assert stat.S_IMODE(passphrase_file.stat().st_mode) == 0o600
    before = snapshot(settings.state_dir)
    ensure_pki(settings)
    assert snapshot(settings.state_dir) == before
    assert load_pki(settings).root is not None


def test_load_before_init_is_not_initialised(settings: Settings) -> None:
    with pytest.raises(PkiNotInitialisedError) as caught:
        load_pki(settings)
    assert caught.value.code == "pki_not_initialised"
    assert "onedoor keys init" in caught.value.message


def _expect_refusal(settings: Settings, error: type[OneDoorError], code: str) -> str:
    """Init fails with ``error`` and leaves every file exactly as it was."""
    before = snapshot(settings.keys_dir)
    with pytest.raises(error) as caught:
        ensure_pki(settings)
    assert caught.value.code == code
    assert "\n" not in caught.value.message
    assert snapshot(settings.keys_dir) == before
    return caught.value.message


def test_certificate_without_key_is_refused(initialised: Settings) -> None:
    (initialised.keys_dir / f"{ORGANISATION_CA}.key.pem").unlink()
    message = _expect_refusal(initialised, PkiInconsistentError, "pki_inconsistent")
    assert "organisation-ca has a certificate but no private key" in message


def test_key_without_certificate_is_refused(initialised: Settings) -> None:
    (initialised.keys_dir / f"{ROOT_CA}.cert.pem").unlink()
    message = _expect_refusal(initialised, PkiInconsistentError, "pki_inconsistent")
    assert "root-ca has a private key but no certificate" in message


def test_issuing_ca_key_not_matching_its_certificate_is_refused(
    initialised: Settings, tmp_path: Path
) -> None:
    other = make_settings(tmp_path / "other")
    ensure_pki(other)
    shutil.copy2(
        other.keys_dir / f"{ORGANISATION_CA}.key.pem",
        initialised.keys_dir / f"{ORGANISATION_CA}.key.pem",
    )
    message = _expect_refusal(initialised, PkiInconsistentError, "pki_inconsistent")
    assert "private key of organisation-ca does not match its certificate" in message


def test_certificate_pair_from_another_pki_is_refused(
    initialised: Settings, tmp_path: Path
) -> None:
    other = make_settings(tmp_path / "other")
    ensure_pki(other)
    for suffix in (".cert.pem", ".key.pem"):
        shutil.copy2(
            other.keys_dir / f"{ORGANISATION_CA}{suffix}",
            initialised.keys_dir / f"{ORGANISATION_CA}{suffix}",
        )
    message = _expect_refusal(initialised, PkiInconsistentError, "pki_inconsistent")
    assert "organisation-ca was not issued by root-ca" in message


def test_missing_root_under_existing_cas_is_refused(initialised: Settings) -> None:
    (initialised.keys_dir / f"{ROOT_CA}.cert.pem").unlink()
    (initialised.keys_dir / f"{ROOT_CA}.key.pem").unlink()
    message = _expect_refusal(initialised, PkiInconsistentError, "pki_inconsistent")
    assert "its issuer root-ca is not" in message


def test_wrong_passphrase_is_refused(initialised: Settings) -> None:
    wrong = make_settings(initialised.state_dir, passphrase="not the passphrase")
    message = _expect_refusal(wrong, KeyPassphraseError, "key_passphrase_wrong")
    assert message.startswith("cannot decrypt key ")
    assert message.endswith(": wrong passphrase")
    with pytest.raises(KeyPassphraseError):
        load_pki(wrong)


@pytest.mark.parametrize(
    "content",
    [
        b"garbage",
        b"",
        b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB!!!\n-----END ENCRYPTED PRIVATE KEY-----\n",
    ],
    ids=["garbage", "empty", "bad-base64"],
)
def test_corrupt_key_file_is_refused(initialised: Settings, content: bytes) -> None:
    (initialised.keys_dir / f"{ORGANISATION_CA}.key.pem").write_bytes(content)
    message = _expect_refusal(initialised, PkiFileUnreadableError, "pki_file_unreadable")
    assert "organisation-ca.key.pem is corrupt" in message


def test_truncated_key_file_is_corrupt_not_a_wrong_passphrase(initialised: Settings) -> None:
    path = initialised.keys_dir / f"{ROOT_CA}.key.pem"
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join([*lines[:2], lines[-1]]))
    _expect_refusal(initialised, PkiFileUnreadableError, "pki_file_unreadable")


def test_unencrypted_key_file_is_refused(initialised: Settings) -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    (initialised.keys_dir / f"{ROOT_CA}.key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    _expect_refusal(initialised, PkiFileUnreadableError, "pki_file_unreadable")


def test_directory_in_place_of_key_is_refused(initialised: Settings) -> None:
    path = initialised.keys_dir / f"{SERVICES_CA}.key.pem"
    path.unlink()
    path.mkdir()
    message = _expect_refusal(initialised, PkiFileUnreadableError, "pki_file_unreadable")
    assert "cannot read private key" in message


def test_corrupt_certificate_is_refused(initialised: Settings) -> None:
    (initialised.keys_dir / f"{ROOT_CA}.cert.pem").write_bytes(b"-----BEGIN CERTIFICATE-----\n")
    message = _expect_refusal(initialised, PkiFileUnreadableError, "pki_file_unreadable")
    assert "root-ca.cert.pem is corrupt" in message


def test_file_in_place_of_pki_directory_is_refused(settings: Settings) -> None:
    settings.state_dir.mkdir(parents=True)
    settings.keys_dir.write_bytes(b"not a folder")
    with pytest.raises(PkiInconsistentError):
        ensure_pki(settings)
    assert settings.keys_dir.read_bytes() == b"not a folder"
