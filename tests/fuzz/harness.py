"""Drive schemathesis over an ASGI app in-process and sort what comes back.

Each operation gets ``examples`` generated cases per generation mode, derandomized so CI sees
the same requests every run. Invalid data is generated only for operations with a request body
(a string path parameter has no invalid form worth searching for). A response is a *server
error* when its status is 5xx, and *undocumented* when its status code, content type or body is
not what the app's own OpenAPI document declares for it.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

DOCUMENTATION_CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


@dataclass
class FuzzReport:
    """What one app answered: request count, 5xx answers, and undocumented answers."""

    requests: int = 0
    server_errors: list[str] = field(default_factory=list)
    undocumented: set[str] = field(default_factory=set)
    operations: list[str] = field(default_factory=list)


def openapi_document(app: Any) -> dict[str, Any]:
    """The app's own OpenAPI document, generated without tripping warnings-as-errors."""
    with warnings.catch_warnings():
        # FastAPI warns on duplicate operation ids (see tests/fuzz/test_openapi_documents.py).
        warnings.simplefilter("ignore", UserWarning)
        document: dict[str, Any] = app.openapi()
    return document


def with_examples(document: Mapping[str, Any], examples: Mapping[str, str]) -> dict[str, Any]:
    """A copy of ``document`` whose parameters named in ``examples`` carry that example value."""
    result = copy.deepcopy(dict(document))
    for operations in result["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("name") in examples:
                    parameter["example"] = examples[parameter["name"]]
    return result


def fuzz_app(
    app: Any,
    *,
    document: Mapping[str, Any] | None = None,
    examples: int,
    headers: Mapping[str, str] | None = None,
    modes: Iterable[GenerationMode] = MODES,
) -> FuzzReport:
    """Send generated requests to every operation of ``app`` (or of ``document``) in-process."""
    schema = schemathesis.openapi.from_dict(dict(document or openapi_document(app)))
    schema.app = app
    report = FuzzReport()
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an Err raises here, as it should
        report.operations.append(operation.label)
        for mode in modes:
            if mode is GenerationMode.NEGATIVE and not _has_body(operation):
                continue  # string path parameters have no invalid form worth the search
            _fuzz_operation(operation, mode, examples, dict(headers or {}), report)
    return report


def _fuzz_operation(
    operation: Any, mode: GenerationMode, examples: int, headers: dict[str, str],
    report: FuzzReport,
) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        report.requests += 1
        where = f"{case.method} {case.formatted_path} ({operation.label}, {mode.value})"
        if response.status_code >= 500:
            report.server_errors.append(f"{where} -> {response.status_code} {response.text[:200]}")
            return
        try:
            case.validate_response(response, checks=DOCUMENTATION_CHECKS)
        except BaseException as exc:  # schemathesis raises a FailureGroup of check failures
            report.undocumented.add(f"{operation.label} -> {response.status_code}: {_title(exc)}")

    try:
        run()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise  # an operation without parameters has no invalid form, and only that


def _has_body(operation: Any) -> bool:
    return any(True for _ in operation.body)


def _title(exc: BaseException) -> str:
    """The check titles of a schemathesis failure (``ST103 Undocumented status code``...)."""
    titles = [line[2:].strip() for line in str(exc).splitlines() if line.startswith("- ")]
    return "; ".join(titles) or type(exc).__name__
