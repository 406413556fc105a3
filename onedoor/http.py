"""What every component's web app shares: the error body, health, and request logging."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from onedoor import __version__
from onedoor.errors import OneDoorError
from onedoor.runtime import Runtime

log = logging.getLogger("onedoor.http")
# Refused with 413 before it is read; larger uploads (bulk imports) use the CLI, not HTTP.
MAX_BODY_BYTES = 1_048_576

_STATUS_CODES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def error_response(status: int, code: str, message: str, **headers: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers or None
    )


def install_error_handlers(app: FastAPI) -> None:
    """Map every failure to ``{"error": {"code", "message"}}``; never leak a stack trace."""

    @app.exception_handler(OneDoorError)
    async def _onedoor(_request: Request, exc: OneDoorError) -> JSONResponse:
        return error_response(exc.http_status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first: dict[str, Any] = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return error_response(422, "invalid_request", f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code
        return error_response(exc.status_code, code, message, **(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error", extra={"error_code": type(exc).__name__}, exc_info=exc)
        return error_response(500, "internal_error", "internal error")


def install_request_logging(app: FastAPI, component: str) -> None:
    """Log method, route template, status and duration; never the concrete path or query."""

    @app.middleware("http")
    async def _log(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        log.info(
            "request",
            extra={
                "component": component,
                "method": request.method,
                "path_template": getattr(route, "path", "<unmatched>"),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )
        return response


def health_router(component: str, runtime: Runtime) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/health", summary=f"Health of the {component} component")
    def health() -> JSONResponse:
        checks = {"database": "ok"}
        status = 200
        try:
            with runtime.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            checks["database"] = "unavailable"
            status = 503
        body = {
            "status": "ok" if status == 200 else "degraded",
            "component": component,
            "version": __version__,
            "checks": checks,
        }
        return JSONResponse(body, status_code=status)

    return router


def create_component_app(component: str, runtime: Runtime, *, title: str) -> FastAPI:
    """A FastAPI app with OneDoor's error format, request logging and ``/health``."""
    app = FastAPI(title=title, version=__version__, max_body_size=MAX_BODY_BYTES)
    app.state.runtime = runtime
    app.state.component = component
    install_error_handlers(app)
    install_request_logging(app, component)
    app.include_router(health_router(component, runtime))
    return app
