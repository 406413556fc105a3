"""``onedoor demo`` prepares var/, serves the start page, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import httpx
from sqlalchemy import select

from onedoor.config import Settings
from onedoor.demo import prepare_demo_data
from onedoor.runtime import create_runtime
from onedoor.setup import prepare_state
from portal.citizen.models import PortalSigningDocument
from tests.support.ports import free_port, wait_for_http

ONEDOOR = str(Path(sys.executable).parent / "onedoor")


def test_demo_serves_pages_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONEDOOR_")}
    env["ONEDOOR_STATE_DIR"] = str(tmp_path / "var")
    process = subprocess.Popen(
        [ONEDOOR, "demo", "--port", str(port), "--persons", "50"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        health = wait_for_http(f"http://127.0.0.1:{port}/health", timeout=120)
        assert health.status_code == 200
        start = httpx.get(f"http://127.0.0.1:{port}/")
        assert start.status_code == 200 and "OneDoor" in start.text
        portal = httpx.get(f"http://127.0.0.1:{port}/portal/")
        assert portal.status_code == 200 and 'lang="lo"' in portal.text
        # A ministry asking through the demo's gateways (real mTLS) without consent.
        refused = httpx.get(
            f"http://127.0.0.1:{port}/gateways/LA-GOV-MOLSW/r1/LA/GOV/MOHA/civil/person/"
            "011234567890",
            headers={
                "X-Road-Client": "LA/GOV/MOLSW/welfare",
                "X-OneDoor-Purpose": "child-allowance-eligibility",
                "X-OneDoor-Subject": "011234567890",
            },
            timeout=30,
        )
        assert refused.status_code == 403, refused.text
        assert refused.headers["X-Road-Error"] == "Server.ServerProxy.ConsentRefused"
        # --port moves the whole system, including what the certificates and the IdP name.
        discovery = httpx.get(
            f"http://127.0.0.1:{port}/idp/.well-known/openid-configuration", timeout=30
        ).json()
        assert discovery["issuer"] == f"http://127.0.0.1:{port}/idp"
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr[-2000:]
    assert f"http://127.0.0.1:{port}/" in stdout
    assert "Traceback" not in stderr
    assert (tmp_path / "var" / "onedoor.db").exists()
    assert (tmp_path / "var" / "pki" / "root-ca.cert.pem").exists()
    key = (tmp_path / "var" / "pki" / "root-ca.key.pem").read_text()
    assert "ENCRYPTED PRIVATE KEY" in key
    credentials = tmp_path / "var" / "demo-credentials.json"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert "citizen login: citizen.demo" in stdout


def test_demo_citizen_has_an_application_to_sign(tmp_path: Path) -> None:
    """The demo's citizen finds a document waiting for a signature in the portal."""
    runtime = create_runtime(Settings(state_dir=tmp_path / "var"))
    prepare_state(runtime)
    lines = prepare_demo_data(runtime, persons=60)
    assert any(line.startswith("citizen login: citizen.demo") for line in lines)
    with runtime.sessions() as session:
        documents = session.scalars(select(PortalSigningDocument)).all()
    assert len(documents) == 1
    assert prepare_demo_data(runtime, persons=60)  # a second start adds nothing
    with runtime.sessions() as session:
        assert len(session.scalars(select(PortalSigningDocument)).all()) == 1
