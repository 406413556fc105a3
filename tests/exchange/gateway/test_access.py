"""Access rights are denied by default and match method and path prefix exactly."""

from __future__ import annotations

import pytest

from exchange.central.globalconf import AccessRight
from exchange.gateway.access import normalize_path, path_under, right_allows
from exchange.xroad.errors import InvalidXRoadRequestError


@pytest.mark.parametrize(
    ("path", "prefix", "allowed"),
    [
        ("/persons", "/persons", True),
        ("/persons/1", "/persons", True),
        ("/persons/1", "/persons/", True),
        ("/personsX", "/persons", False),
        ("/admin", "/persons", False),
        ("/anything", "/", True),
    ],
)
def test_path_prefix(path: str, prefix: str, allowed: bool) -> None:
    assert path_under(path, prefix) is allowed


def test_method_must_match_unless_star() -> None:
    get_only = AccessRight(subject="LA/GOV/MOF", method="GET", path_prefix="/")
    assert right_allows(get_only, method="get", path="/x")
    assert not right_allows(get_only, method="DELETE", path="/x")
    anything = AccessRight(subject="LA/GOV/MOF", method="*", path_prefix="/")
    assert right_allows(anything, method="DELETE", path="/x")


@pytest.mark.parametrize("path", ["/a/../b", "/./a", "/a\\b", "/..", "/a/%00"[:3] + "\x00"])
def test_dot_segments_and_backslashes_are_refused(path: str) -> None:
    with pytest.raises(InvalidXRoadRequestError):
        normalize_path(path)


def test_normalize_keeps_ordinary_paths() -> None:
    assert normalize_path("") == "/"
    assert normalize_path("persons/1") == "/persons/1"
    assert normalize_path("/persons/1?x=1") == "/persons/1?x=1"
