"""Settings for every component, read once from ``ONEDOOR_*`` environment variables."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from onedoor.errors import ConfigurationError

PASSPHRASE_FILE_NAME = "key-passphrase"


class Settings(BaseSettings):
    """All configuration of OneDoor; build it with :func:`get_settings`, never at import."""

    model_config = SettingsConfigDict(
        env_prefix="ONEDOOR_", env_file=None, extra="forbid", frozen=True
    )

    environment: Literal["development", "production"] = "development"
    state_dir: Path = Path("var")
    database_url: str = ""
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    key_passphrase: SecretStr | None = None
    key_passphrase_file: Path | None = None

    @model_validator(mode="after")
    def _defaults_and_production_rules(self) -> Settings:
        if not self.database_url:
            db_path = (self.state_dir / "onedoor.db").resolve()
            object.__setattr__(self, "database_url", f"sqlite:///{db_path}")
        try:
            make_url(self.database_url)
        except ArgumentError:
            raise ValueError(
                "database_url is not a database URL (sqlite:///... or postgresql+psycopg://...)"
            ) from None
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
        if self.environment == "production":
            if self.key_passphrase is None and self.key_passphrase_file is None:
                raise ValueError(
                    "production needs ONEDOOR_KEY_PASSPHRASE or ONEDOOR_KEY_PASSPHRASE_FILE"
                )
            if self.database_url.startswith("sqlite"):
                raise ValueError("production needs a PostgreSQL ONEDOOR_DATABASE_URL")
        return self

    @property
    def keys_dir(self) -> Path:
        return self.state_dir / "pki"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def url_for(self, component: str, path: str = "") -> str:
        """Public URL of a component's endpoint (the demo mounts every component on base_url)."""
        return f"{self.base_url}/{component.strip('/')}{path}"

    def resolve_key_passphrase(self, *, create: bool = False) -> bytes:
        """Passphrase protecting private keys: env, then file, then (development) var/."""
        if self.key_passphrase is not None:
            return self.key_passphrase.get_secret_value().encode()
        path = self.key_passphrase_file
        if path is None:
            path = self.state_dir / "secrets" / PASSPHRASE_FILE_NAME
            if create and self.environment == "development" and not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_urlsafe(32) + "\n")
        try:
            value = path.read_text().strip()
        except OSError as exc:
            raise ConfigurationError(
                f"cannot read key passphrase file {path}: {exc.strerror or exc}"
            ) from exc
        if not value:
            raise ConfigurationError(f"key passphrase file {path} is empty")
        return value.encode()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached); raises ConfigurationError on invalid values."""
    try:
        return Settings()
    except ValueError as exc:
        raise ConfigurationError(f"invalid settings: {_first_error(exc)}") from exc


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        loc = ".".join(str(p) for p in first.get("loc", ())) or "settings"
        return f"{loc}: {first.get('msg', exc)}"
    return str(exc)
