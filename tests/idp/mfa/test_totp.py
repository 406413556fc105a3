"""RFC 6238 known answers, the one-step window, replay refusal and interoperability."""

from __future__ import annotations

import shutil
import subprocess
import urllib.parse
from datetime import UTC, datetime, timedelta

import pytest

from idp.accounts.errors import InvalidCredentialsError
from idp.mfa import totp
from idp.mfa.errors import InvalidSeedError

SHA1_SEED = b"12345678901234567890"
SEEDS = {
    "SHA1": SHA1_SEED,
    "SHA256": b"12345678901234567890123456789012",
    "SHA512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
# RFC 6238 Appendix B: (Unix time, SHA1, SHA256, SHA512) with 8 digits.
VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]
NOW = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("vector", VECTORS)
@pytest.mark.parametrize("column", [1, 2, 3])
def test_rfc6238_appendix_b(vector: tuple[int, str, str, str], column: int) -> None:
    algorithm = ("SHA1", "SHA256", "SHA512")[column - 1]
    params = totp.TotpParameters(algorithm=algorithm, digits=8)
    at = datetime.fromtimestamp(vector[0], UTC)
    step = totp.verify_code(SEEDS[algorithm], vector[column], now=at, last_step=None,
                            params=params)
    assert step == vector[0] // 30


def code(offset_steps: int, now: datetime = NOW) -> str:
    return totp.code_at_step(SHA1_SEED, totp.time_step(now) + offset_steps)


def test_one_step_either_side_is_accepted_two_steps_are_not() -> None:
    current = totp.time_step(NOW)
    for offset in (-1, 0, 1):
        assert totp.verify_code(SHA1_SEED, code(offset), now=NOW, last_step=None) == (
            current + offset
        )
    for offset in (-2, 2, 10):
        with pytest.raises(InvalidCredentialsError):
            totp.verify_code(SHA1_SEED, code(offset), now=NOW, last_step=None)


def test_replayed_and_older_codes_are_refused() -> None:
    used = totp.verify_code(SHA1_SEED, code(0), now=NOW, last_step=None)
    with pytest.raises(InvalidCredentialsError):
        totp.verify_code(SHA1_SEED, code(0), now=NOW, last_step=used)
    with pytest.raises(InvalidCredentialsError):  # the previous step, still inside the window
        totp.verify_code(SHA1_SEED, code(-1), now=NOW, last_step=used)
    later = NOW + timedelta(seconds=30)
    assert totp.verify_code(SHA1_SEED, code(0, later), now=later, last_step=used) == used + 1


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "12345a", "١٢٣٤٥٦", "-12345"])
def test_malformed_codes_are_refused(bad: str) -> None:
    with pytest.raises(InvalidCredentialsError):
        totp.verify_code(SHA1_SEED, bad, now=NOW, last_step=None)


def test_a_code_from_oathtool_is_accepted() -> None:
    # make test installs oathtool (scripts/ensure-system-packages.sh); missing means failure.
    assert shutil.which("oathtool"), "Debian package oathtool is missing"
    secret = totp.encode_secret(b"\x8a" * 20)
    output = subprocess.run(
        ["oathtool", "--totp", "--base32", secret, "--now", "2026-01-05 09:00:00 UTC"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    step = totp.verify_code(b"\x8a" * 20, output, now=NOW, last_step=None)
    assert step == totp.time_step(NOW)


def test_provisioning_uri_carries_what_authenticator_apps_read() -> None:
    uri = totp.provisioning_uri(SHA1_SEED, account_name="noy s")
    parsed = urllib.parse.urlparse(uri)
    assert (parsed.scheme, parsed.netloc) == ("otpauth", "totp")
    assert urllib.parse.unquote(parsed.path) == "/OneDoor:noy s"
    query = dict(urllib.parse.parse_qsl(parsed.query))
    assert query == {
        "secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "issuer": "OneDoor",
        "algorithm": "SHA1", "digits": "6", "period": "30",
    }
    svg = totp.qr_svg(uri)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")


def test_token_seeds_are_read_leniently_but_short_ones_are_refused() -> None:
    printed = "gezd gnbv-gy3t qojq gezd gnbv gy3t qojq"
    assert totp.decode_secret(printed) == SHA1_SEED
    for bad in ("GEZDGNBV", "not base32!", ""):
        with pytest.raises(InvalidSeedError):
            totp.decode_secret(bad)
