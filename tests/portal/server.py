"""The portal as a real server for browser tests: mounted at /portal, as in the demo.

Run by uvicorn in a subprocess: ``uvicorn --factory tests.portal.server:create_app``; it reads
the usual ``ONEDOOR_*`` variables and expects the database to be migrated already.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from onedoor.config import Settings
from onedoor.db import open_database
from onedoor.runtime import create_runtime
from portal.app import create_app as create_portal_app

MOUNT = "/portal"


def create_app() -> FastAPI:
    settings = Settings()
    runtime = create_runtime(settings, engine=open_database(settings.database_url))
    root = FastAPI()

    @root.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse(f"{MOUNT}/")

    root.mount(MOUNT, create_portal_app(runtime), name="portal")
    return root
