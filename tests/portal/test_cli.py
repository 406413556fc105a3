"""``onedoor portal update-catalogues`` is idempotent on complete catalogues."""

from __future__ import annotations

from typer.testing import CliRunner

from portal.cli import app
from portal.i18n import LANGUAGES, catalogue_path


def test_update_catalogues_keeps_complete_catalogues_unchanged() -> None:
    before = {language: catalogue_path(language).read_bytes() for language in LANGUAGES}
    result = CliRunner().invoke(app, ["update-catalogues"])
    assert result.exit_code == 0, result.output
    assert "catalogues complete" in result.output
    assert {language: catalogue_path(language).read_bytes() for language in LANGUAGES} == before
