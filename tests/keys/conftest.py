"""A PKI initialised once per test session (tests only read it), and openssl helpers."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from keys.bootstrap import ensure_pki
from keys.pki import Pki, load_pki
from onedoor.config import Settings

PASSPHRASE = "test passphrase"
BASE_URL = "http://onedoor.test:8000"


def make_settings(state_dir: Path, passphrase: str = PASSPHRASE) -> Settings:
    return Settings(state_dir=state_dir, key_passphrase=passphrase, base_url=BASE_URL)


@pytest.fixture(scope="session")
def shared_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = make_settings(tmp_path_factory.mktemp("shared") / "var")
    ensure_pki(settings)
    return settings


@pytest.fixture(scope="session")
def shared_pki(shared_settings: Settings) -> Pki:
    return load_pki(shared_settings)


def openssl(*args: str, input_bytes: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["openssl", *args], input=input_bytes, capture_output=True, timeout=30, check=False
    )


def write_pem(path: Path, certificates: Sequence[x509.Certificate]) -> Path:
    path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates))
    return path


def openssl_verify(
    folder: Path,
    *,
    root: x509.Certificate,
    chain: Sequence[x509.Certificate],
    leaf: x509.Certificate,
    purpose: str | None = None,
    at: datetime | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """``openssl verify -CAfile root -untrusted chain leaf`` (``-purpose``, ``-attime``)."""
    args = ["verify", "-CAfile", str(write_pem(folder / "root.pem", [root]))]
    if at is not None:
        args += ["-attime", str(int(at.timestamp()))]
    if chain:
        args += ["-untrusted", str(write_pem(folder / "chain.pem", chain))]
    if purpose:
        args += ["-purpose", purpose]
    return openssl(*args, str(write_pem(folder / "leaf.pem", [leaf])))
