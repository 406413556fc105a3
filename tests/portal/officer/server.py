"""The IdP, the portal and the life-event worker in one server, on ``http://localhost``.

``uvicorn --factory tests.portal.officer.server:create_app``: WebAuthn needs a domain as the
relying party id, so this server is reached as ``localhost`` (not 127.0.0.1). Events of a
registered birth are delivered before the officer's page loads (``after_send`` drains).
"""

from __future__ import annotations

from fastapi import FastAPI

from exchange.events.worker import Worker
from idp.app import create_app as create_idp_app
from onedoor.config import Settings
from onedoor.db import open_database
from onedoor.runtime import create_runtime
from portal.app import create_app as create_portal_app
from registries.reactions.consumer import InProcessTransport


def create_app() -> FastAPI:
    settings = Settings()
    runtime = create_runtime(settings, engine=open_database(settings.database_url))
    worker = Worker(sessions=runtime.sessions, transport=InProcessTransport(runtime.sessions))
    root = FastAPI()
    root.mount("/idp", create_idp_app(runtime), name="idp")
    root.mount("/portal", create_portal_app(runtime, after_send=worker.drain), name="portal")
    return root
