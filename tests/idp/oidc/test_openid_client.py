"""Interoperability: panva's openid-client (Node) against a real server on a loopback port."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.idp.oidc.conftest import PASSWORD, LiveIdp

NODE_DIR = Path(__file__).parent / "node"
CALLBACK = "http://127.0.0.1:9/cb"
POST_LOGOUT = "http://127.0.0.1:9/bye"


@pytest.fixture(scope="session")
def openid_client_installed() -> Path:
    """Install openid-client from the lock file; a failed install fails the test."""
    npm = shutil.which("npm")
    assert npm is not None, "npm is required for the openid-client interoperability test"
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"npm ci failed: {result.stderr[-2000:]}"
    return NODE_DIR


def test_openid_client_code_flow_refresh_introspection_revocation_logout(
    live_idp: LiveIdp, openid_client_installed: Path
) -> None:
    registered = live_idp.register(
        grant_types=["authorization_code", "refresh_token"],
        auth_method="client_secret_basic",
        scopes=["openid", "profile"],
        redirect_uris=[CALLBACK],
        post_logout_redirect_uris=[POST_LOGOUT],
    )
    env = {
        **os.environ,
        "ISSUER": live_idp.issuer,
        "CLIENT_ID": registered.client.client_id,
        "CLIENT_SECRET": registered.secret or "",
        "REDIRECT_URI": CALLBACK,
        "POST_LOGOUT_URI": POST_LOGOUT,
        "PASSWORD": PASSWORD,
    }
    node = shutil.which("node")
    assert node is not None
    result = subprocess.run(
        [node, "flow.mjs"],
        cwd=openid_client_installed,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["sub"] == "sub-bob"
    assert outcome["userinfo"] == {"sub": "sub-bob", "name": "Name of sub-bob"}
    assert outcome["rotated"] and outcome["refreshedHasIdToken"]
    assert outcome["introspectedActive"] is True
    assert outcome["activeAfterRevocation"] is False
    assert outcome["logoutLocation"] == f"{POST_LOGOUT}?state=bye"
