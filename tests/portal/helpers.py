"""Small helpers for in-process portal tests."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

HTML = {"accept": "text/html"}
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token_of(client: TestClient, path: str = "/portal/") -> str:
    """Load a page as a browser would and read the token of its forms."""
    found = _TOKEN.search(client.get(path, headers=HTML).text)
    assert found, "page has no form token"
    return found.group(1)
