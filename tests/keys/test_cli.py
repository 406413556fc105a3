"""`onedoor keys init` and `onedoor keys list` as an operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.keys.conftest import PASSPHRASE, openssl

ONEDOOR = str(Path(sys.executable).parent / "onedoor")


def run(
    state_dir: Path, *args: str, passphrase: str = PASSPHRASE
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONEDOOR_")}
    env.update(ONEDOOR_STATE_DIR=str(state_dir), ONEDOOR_KEY_PASSPHRASE=passphrase)
    return subprocess.run(
        [ONEDOOR, "keys", *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_init_twice_then_list(tmp_path: Path) -> None:
    state = tmp_path / "var"
    first = run(state, "init")
    assert first.returncode == 0, first.stderr
    assert "created 8 certificates" in first.stdout
    second = run(state, "init")
    assert second.returncode == 0, second.stderr
    assert "unchanged" in second.stdout

    listing = run(state, "list", passphrase="not needed to list")
    assert listing.returncode == 0, listing.stderr
    fingerprint = (
        openssl(
            "x509",
            "-noout",
            "-fingerprint",
            "-sha256",
            "-in",
            str(state / "pki" / "root-ca.cert.pem"),
        )
        .stdout.decode()
        .strip()
        .split("=", 1)[1]
    )
    assert f"SHA-256:     {fingerprint}" in listing.stdout
    assert fingerprint in first.stdout
    for name in ("root-ca", "organisation-ca", "citizen-ca", "services-ca", "timestamp-authority"):
        assert f"\n{name}\n" in f"\n{listing.stdout}"
    assert "issuer:      CN=OneDoor Services CA,O=OneDoor,C=LA" in listing.stdout
    assert "not after:" in listing.stdout


def test_wrong_passphrase_is_one_error_line_without_traceback(tmp_path: Path) -> None:
    state = tmp_path / "var"
    assert run(state, "init").returncode == 0
    result = run(state, "init", passphrase="wrong")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: cannot decrypt key ")
    assert lines[0].endswith(": wrong passphrase")


def test_half_initialised_directory_is_one_error_line(tmp_path: Path) -> None:
    state = tmp_path / "var"
    assert run(state, "init").returncode == 0
    (state / "pki" / "citizen-ca.key.pem").unlink()
    result = run(state, "init")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: PKI in {state / 'pki'} is half-initialised: citizen-ca has a certificate "
        "but no private key"
    ]
    assert not (state / "pki" / "citizen-ca.key.pem").exists()


def test_list_before_init_says_what_to_do(tmp_path: Path) -> None:
    result = run(tmp_path / "var", "list")
    assert result.returncode == 2
    assert "run `onedoor keys init`" in result.stderr
    assert "Traceback" not in result.stderr
