"""The registries component's web app."""

from __future__ import annotations

from fastapi import FastAPI

from onedoor.http import create_component_app
from onedoor.runtime import Runtime


def create_app(runtime: Runtime) -> FastAPI:
    return create_component_app("registries", runtime, title="OneDoor registries")
