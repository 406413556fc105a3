"""Keep the ``.po`` catalogues in step with the strings in the code and templates (Babel)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from portal.i18n import DOMAIN, LANGUAGES, catalogue_path

PORTAL_DIR = Path(__file__).parent
METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
# Lines of each template and module are not stored: they change with every edit.
_NO_LOCATIONS = True


def extract_messages(folder: Path = PORTAL_DIR) -> Catalog:
    """Every translatable string: ``_()`` in templates, ``_()`` and ``N_()`` in code."""
    catalog = Catalog(domain=DOMAIN, project="OneDoor portal")
    for filename, lineno, message, comments, context in extract_from_dir(
        folder, METHOD_MAP, keywords=KEYWORDS, options_map={"**/templates/**.html": {}},
    ):
        if isinstance(message, str) and message:
            catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                        context=context)
    return catalog


def update_catalogues(folder: Path = PORTAL_DIR) -> dict[str, list[str]]:
    """Add new strings (untranslated) and drop unused ones; returns what is still untranslated."""
    template = extract_messages(folder)
    missing: dict[str, list[str]] = {}
    for language in LANGUAGES:
        path = catalogue_path(language)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=language, domain=DOMAIN)
        else:
            catalog = Catalog(
                locale=language, domain=DOMAIN, project="OneDoor portal", version="1",
                copyright_holder="OneDoor contributors", fuzzy=False,
                header_comment=f"# {language} messages of the OneDoor portal.",
            )
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, no_location=_NO_LOCATIONS, sort_output=True)
        missing[language] = [str(m.id) for m in catalog if m.id and not m.string]
    return missing
