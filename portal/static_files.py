"""Static files under content-hashed URLs, so browsers may cache them for a year."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter
from starlette.responses import Response

from onedoor.errors import NotFoundError

STATIC_DIR = Path(__file__).parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class StaticFile:
    digest: str
    content: bytes
    media_type: str


def load_static(folder: Path = STATIC_DIR) -> dict[str, StaticFile]:
    """Every file of ``folder`` by relative name, read once at start (they are small)."""
    files: dict[str, StaticFile] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            content = path.read_bytes()
            media_type = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
            files[path.relative_to(folder).as_posix()] = StaticFile(
                digest=hashlib.sha256(content).hexdigest()[:16],
                content=content,
                media_type=media_type or "application/octet-stream",
            )
    return files


def static_path(files: dict[str, StaticFile], name: str) -> str:
    """``/static/<digest>/<name>``: a new URL whenever the content changes."""
    return f"/static/{files[name].digest}/{name}"


def static_router(files: dict[str, StaticFile]) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/static/{digest}/{name:path}")
    def static(digest: str, name: str) -> Response:
        found = files.get(name)
        if found is None or found.digest != digest:
            raise NotFoundError("no such static file")
        return Response(
            found.content, media_type=found.media_type, headers={"cache-control": IMMUTABLE}
        )

    return router
