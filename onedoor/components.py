"""The components of OneDoor (DESIGN.md) and where their models and migrations live.

Convention: any module named ``models`` inside a component package declares tables, and any
folder named ``migrations`` inside a component package is an Alembic version folder holding
that sub-component's own branch (rooted at the ``core`` revision).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

COMPONENTS = ("keys", "registries", "exchange", "idp", "portal")


def _package_dir(name: str) -> Path:
    module = importlib.import_module(name)
    return Path(module.__file__ or "").parent


def model_modules() -> list[str]:
    names: list[str] = []
    for component in COMPONENTS:
        package = importlib.import_module(component)
        if f"{component}.models" not in names and (_package_dir(component) / "models.py").exists():
            names.append(f"{component}.models")
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{component}."):
            if info.name.rsplit(".", 1)[-1] == "models" and info.name not in names:
                names.append(info.name)
    return names


def load_all_models() -> None:
    """Import every component's ``models`` modules so ``Base.metadata`` holds every table."""
    for name in model_modules():
        importlib.import_module(name)


def migration_locations() -> list[str]:
    """Alembic version folders: the core root revision, then every component's branch."""
    locations = [str(Path(__file__).parent / "migrations" / "versions")]
    for component in COMPONENTS:
        root = _package_dir(component)
        for folder in sorted(root.rglob("migrations")):
            if folder.is_dir() and "__pycache__" not in folder.parts:
                locations.append(str(folder))
    return locations
