"""The components of OneDoor (DESIGN.md) and where each one's models and migrations live."""

from __future__ import annotations

import importlib
from pathlib import Path

COMPONENTS = ("keys", "registries", "exchange", "idp", "portal")


def load_all_models() -> None:
    """Import every component's ``models`` module so ``Base.metadata`` holds every table."""
    for component in COMPONENTS:
        name = f"{component}.models"
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def migration_locations() -> list[str]:
    """Alembic version folders: the core base revision, then one branch per component."""
    core = Path(__file__).parent / "migrations" / "versions"
    locations = [str(core)]
    for component in COMPONENTS:
        module = importlib.import_module(component)
        folder = Path(module.__file__ or "").parent / "migrations"
        if folder.is_dir():
            locations.append(str(folder))
    return locations
