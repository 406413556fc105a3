"""The privacy tests' database: a transparency log with refusals in it."""

from tests.portal.privacy.conftest import log

__all__ = ["log"]
