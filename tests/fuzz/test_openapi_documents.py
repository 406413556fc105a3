"""Every app's OpenAPI document is generated cleanly (what clients and the fuzzer read)."""

from __future__ import annotations

import warnings

import pytest

from onedoor.app import COMPONENT_APPS, create_component
from onedoor.runtime import Runtime


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(
            strict=True,
            reason="BUG: GET and POST /userinfo share the operation id userinfo_userinfo_post "
            "(idp/oidc/endpoints.py api_route with two methods); FastAPI warns and the "
            "document has a duplicate operationId",
        )) if name == "idp" else name
        for name in COMPONENT_APPS
    ],
)
def test_openapi_document_has_unique_operation_ids(name: str, fuzz_runtime: Runtime) -> None:
    app = create_component(name, fuzz_runtime)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        document = app.openapi()
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()
           if isinstance(op, dict) and "operationId" in op]
    assert len(ids) == len(set(ids))
