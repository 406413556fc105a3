"""Settings: one place, ONEDOOR_ prefix, safe defaults only in development."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from onedoor.config import Settings, get_settings
from onedoor.errors import ConfigurationError


def test_defaults_put_sqlite_under_the_state_directory(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path / "state")
    assert settings.database_url == f"sqlite:///{(tmp_path / 'state' / 'onedoor.db').resolve()}"
    assert settings.is_sqlite


def test_environment_variables_use_the_onedoor_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEDOOR_DATABASE_URL", "postgresql+psycopg://u@db.example/onedoor")
    monkeypatch.setenv("ONEDOOR_BASE_URL", "https://onedoor.example.la/")
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://u@db.example/onedoor"
    assert settings.url_for("pki", "/crl/root.crl") == "https://onedoor.example.la/pki/crl/root.crl"


def test_unknown_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="extra"):
        Settings(colour="blue")  # type: ignore[call-arg]


def test_production_refuses_development_defaults() -> None:
    with pytest.raises(ValueError, match="PASSPHRASE"):
        Settings(environment="production", database_url="postgresql+psycopg://u@h/d")
    with pytest.raises(ValueError, match="PostgreSQL"):
        Settings(environment="production", key_passphrase="s3cret-enough")


def test_bad_database_url_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEDOOR_DATABASE_URL", "not a url")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match="database_url"):
            get_settings()
    finally:
        get_settings.cache_clear()


def test_passphrase_is_masked_in_repr() -> None:
    settings = Settings(key_passphrase="correct horse battery staple")
    assert "correct horse" not in repr(settings)
    assert settings.resolve_key_passphrase() == b"correct horse battery staple"


def test_development_creates_a_private_passphrase_file_once(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path / "var")
    first = settings.resolve_key_passphrase(create=True)
    path = tmp_path / "var" / "secrets" / "key-passphrase"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert settings.resolve_key_passphrase(create=True) == first
    assert len(first) >= 32


def test_missing_or_empty_passphrase_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="cannot read key passphrase file"):
        Settings(key_passphrase_file=tmp_path / "absent").resolve_key_passphrase()
    empty = tmp_path / "empty"
    empty.write_text("\n")
    with pytest.raises(ConfigurationError, match="empty"):
        Settings(key_passphrase_file=empty).resolve_key_passphrase()


def test_production_never_invents_a_passphrase(tmp_path: Path) -> None:
    settings = Settings(
        environment="production",
        state_dir=tmp_path,
        database_url="postgresql+psycopg://u@h/d",
        key_passphrase_file=tmp_path / "missing",
    )
    with pytest.raises(ConfigurationError):
        settings.resolve_key_passphrase(create=True)
    assert not (tmp_path / "missing").exists()
