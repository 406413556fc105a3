"""OpenAPI fragments for what the generated documents leave out, so the fuzzer can reach it.

The idp's OAuth endpoints read their form bodies by hand (RFC 6749 3.2, RFC 7662 2.1, RFC 7009
2.1), so FastAPI documents no request body; the gateway's client-facing X-Road REST API has no
OpenAPI document at all (``openapi_url=None``). These describe what a client actually sends.
"""

from __future__ import annotations

import copy
from typing import Any

FORM = "application/x-www-form-urlencoded"
_TEXT = {"type": "string", "maxLength": 200}

TOKEN_FORM = {
    "grant_type": {
        "type": "string",
        "enum": ["authorization_code", "refresh_token", "client_credentials", "password", "x"],
    },
    "code": _TEXT,
    "redirect_uri": _TEXT,
    "code_verifier": _TEXT,
    "refresh_token": _TEXT,
    "scope": _TEXT,
    "client_id": _TEXT,
    "client_secret": _TEXT,
    "client_assertion_type": _TEXT,
    "client_assertion": _TEXT,
}
TOKEN_HINT_FORM = {"token": _TEXT, "token_type_hint": _TEXT, "client_id": _TEXT,
                   "client_secret": _TEXT}


def _form_body(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "required": True,
        "content": {FORM: {"schema": {"type": "object", "properties": properties}}},
    }


def with_oauth_forms(document: dict[str, Any]) -> dict[str, Any]:
    """The idp document plus the form bodies of /token, /introspect, /revoke and a Bearer."""
    result = copy.deepcopy(document)
    paths = result["paths"]
    for path, form in (("/token", TOKEN_FORM), ("/introspect", TOKEN_HINT_FORM),
                       ("/revoke", TOKEN_HINT_FORM)):
        paths[path]["post"]["requestBody"] = _form_body(form)
    for method in ("get", "post"):
        paths["/userinfo"][method]["parameters"] = [
            {"name": "Authorization", "in": "header", "required": False,
             "schema": {"type": "string", "maxLength": 300}},
        ]
    return result


_XROAD_ERROR = {
    "type": "object",
    "required": ["type", "message", "detail"],
    "properties": {
        "type": {"type": "string"},
        "message": {"type": "string"},
        "detail": {"type": "string"},
    },
}


def _segment(name: str, example: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "string", "minLength": 1, "maxLength": 40}, "example": example}


def _gateway_operation(body: bool) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "parameters": [
            _segment("instance", "LA"),
            _segment("member_class", "GOV"),
            _segment("member_code", "MOH"),
            _segment("subsystem_code", "REG"),
            _segment("service_code", "persons"),
            {"name": "X-Road-Client", "in": "header", "required": False,
             "schema": {"type": "string", "maxLength": 120}, "example": "LA/GOV/MOF/APP"},
            {"name": "X-Road-Id", "in": "header", "required": False,
             "schema": {"type": "string", "maxLength": 300}},
            {"name": "X-Road-UserId", "in": "header", "required": False,
             "schema": {"type": "string", "maxLength": 120}},
        ],
        "responses": {
            "200": {"description": "the provider's answer", "content": {"*/*": {}}},
            "201": {"description": "the provider's answer", "content": {"*/*": {}}},
            # the provider's own statuses pass through; the gateway's refusals are X-Road errors
            "default": {"description": "an X-Road error or the provider's", "content": {"*/*": {}}},
        },
    }
    if body:
        operation["requestBody"] = {
            "required": False,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    return operation


def gateway_document() -> dict[str, Any]:
    """The client-facing X-Road REST API of a security gateway (Message Protocol for REST 1.0)."""
    r1 = "/r1/{instance}/{member_class}/{member_code}/{subsystem_code}/{service_code}"
    return {
        "openapi": "3.0.3",
        "info": {"title": "OneDoor security gateway (client side)", "version": "1"},
        "paths": {
            r1: {"get": _gateway_operation(False), "post": _gateway_operation(True)},
            "/listClients": {
                "get": {
                    "responses": {
                        "200": {"description": "members", "content": {"application/json": {}}},
                        "default": {"description": "X-Road error",
                                    "content": {"application/json": {"schema": _XROAD_ERROR}}},
                    }
                }
            },
        },
    }

