"""Signed-in portal clients without the IdP (the sign-in itself is tested elsewhere)."""

from __future__ import annotations

import hashlib
import re
import time
import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient

from onedoor.db import transaction
from onedoor.runtime import Runtime
from portal.login.models import PortalLoginSession
from portal.security.sessions import session_cookie_name
from tests.portal.conftest import mounted

HTML = {"accept": "text/html", "accept-language": "en"}
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def signed_in(
    app: FastAPI, runtime: Runtime, *, kind: str, person_id: str | None = None,
    centre: str | None = None, assurance: str | None = None,
) -> TestClient:
    """A client whose session cookie belongs to a signed-in account of ``kind``."""
    http = TestClient(mounted(app), base_url="http://127.0.0.1:8000", follow_redirects=False)
    http.get("/portal/", headers=HTML)
    cookie = http.cookies.get(session_cookie_name(secure=False))
    assert cookie
    now = int(time.time())
    with transaction(runtime.sessions) as session:
        session.add(PortalLoginSession(
            id_hash=hashlib.sha256(cookie.encode()).hexdigest(),
            subject=f"{kind}-{uuid.uuid4().hex[:8]}", account_kind=kind, display_name="Test",
            person_id=person_id, assurance=assurance, centre=centre, acr=None, id_token="-",
            auth_time=now, created_at=now, expires_at=now + 3600,
        ))
    return http


def csrf_of(http: TestClient, path: str = "/portal/") -> str:
    found = _TOKEN.search(http.get(path, headers=HTML).text)
    assert found, "page has no form token"
    return found.group(1)
