"""``openssl ts`` against the TSA on a real server: tokens verify, tampering and junk do not."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.keys.conftest import openssl, write_pem
from tests.keys.ocsp.live import LivePki


def _post(live: LivePki, query: bytes) -> httpx.Response:
    return httpx.post(
        f"{live.base_url}/tsa",
        content=query,
        headers={"Content-Type": "application/timestamp-query"},
    )


def _timestamp(live: LivePki, folder: Path, *query_args: str) -> tuple[Path, Path, Path]:
    data = folder / "form.txt"
    data.write_bytes("ແບບຟອມ application form\n".encode())
    query = folder / "q.tsq"
    made = openssl("ts", "-query", "-data", str(data), *query_args, "-out", str(query))
    assert made.returncode == 0, made.stderr
    response = _post(live, query.read_bytes())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/timestamp-reply"
    reply = folder / "r.tsr"
    reply.write_bytes(response.content)
    return data, query, reply


def _verify(live: LivePki, folder: Path, reply: Path, *source: str) -> str:
    result = openssl(
        "ts",
        "-verify",
        *source,
        "-in",
        str(reply),
        "-CAfile",
        str(write_pem(folder / "root.pem", [live.pki.root])),
        "-untrusted",
        str(write_pem(folder / "services.pem", [live.pki.ca_certificate("services-ca")])),
    )
    return (result.stdout + result.stderr).decode()


def _text(reply: Path) -> str:
    result = openssl("ts", "-reply", "-in", str(reply), "-text")
    return (result.stdout + result.stderr).decode()


def test_token_verifies_against_the_data_and_the_query(live: LivePki, tmp_path: Path) -> None:
    data, query, reply = _timestamp(live, tmp_path, "-sha256", "-cert")
    assert "Verification: OK" in _verify(live, tmp_path, reply, "-data", str(data))
    # -queryfile also checks the nonce and the policy-free request against the token.
    assert "Verification: OK" in _verify(live, tmp_path, reply, "-queryfile", str(query))


def test_reply_shows_policy_nonce_and_accuracy(live: LivePki, tmp_path: Path) -> None:
    _, query, reply = _timestamp(live, tmp_path, "-sha512", "-cert")
    text = _text(reply)
    assert "Status: Granted." in text
    assert "Policy OID: 2.25.82354390118722977259663301845043467338.1.1" in text
    assert "Hash Algorithm: sha512" in text
    assert "Accuracy: 0x01 seconds" in text
    sent = openssl("ts", "-query", "-in", str(query), "-text").stdout.decode()
    nonce = re.search(r"Nonce: (0x[0-9A-F]+)", sent)
    assert nonce is not None
    assert f"Nonce: {nonce.group(1)}" in text


def test_tampered_data_fails_verification(live: LivePki, tmp_path: Path) -> None:
    data, _, reply = _timestamp(live, tmp_path, "-sha256", "-cert")
    data.write_bytes(data.read_bytes() + b" (amended)")
    text = _verify(live, tmp_path, reply, "-data", str(data))
    assert "Verification: OK" not in text
    assert "message imprint mismatch" in text


def test_token_fails_against_another_root(live: LivePki, tmp_path: Path) -> None:
    data, _, reply = _timestamp(live, tmp_path, "-sha256", "-cert")
    other = tmp_path / "other"
    other.mkdir()
    result = openssl(
        "ts",
        "-verify",
        "-data",
        str(data),
        "-in",
        str(reply),
        "-CAfile",
        str(write_pem(other / "root.pem", [live.pki.ca_certificate("citizen-ca")])),
    )
    assert "Verification: OK" not in (result.stdout + result.stderr).decode()


def test_serial_numbers_differ_and_increase(live: LivePki, tmp_path: Path) -> None:
    serials = []
    for _ in range(2):
        _, _, reply = _timestamp(live, tmp_path, "-sha256")
        found = re.search(r"Serial number: (0x[0-9A-F]+)", _text(reply))
        assert found is not None
        serials.append(int(found.group(1), 16))
    assert serials[0] < serials[1]


def test_sha1_query_is_a_bad_alg_rejection(live: LivePki, tmp_path: Path) -> None:
    _, _, reply = _timestamp(live, tmp_path, "-sha1")
    text = _text(reply)
    assert "Status: Rejected." in text
    assert "unrecognized or unsupported algorithm identifier" in text


def test_garbage_is_a_bad_data_format_rejection(live: LivePki, tmp_path: Path) -> None:
    for body in (b"garbage", b"", b"\x30" * 50_000):
        response = _post(live, body)
        assert response.status_code == 200
        reply = tmp_path / "r.tsr"
        reply.write_bytes(response.content)
        text = _text(reply)
        assert "Status: Rejected." in text
        assert "the data submitted has the wrong format" in text
