"""The stylesheet's colour pairs meet WCAG 2.2 AA contrast (4.5:1 text, 3:1 focus and borders)."""

from __future__ import annotations

import re

import pytest

from portal.static_files import STATIC_DIR

CSS = (STATIC_DIR / "portal.css").read_text()
COLOURS = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", CSS))


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.2, definition of relative luminance)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("foreground", "background", "minimum"),
    [
        ("text", "bg", 4.5), ("muted", "bg", 4.5), ("text", "surface", 4.5),
        ("muted", "surface", 4.5), ("link", "bg", 4.5), ("link", "surface", 4.5),
        ("problem", "bg", 4.5), ("focus", "bg", 3.0), ("border", "bg", 3.0),
    ],
)
def test_colour_pairs_meet_wcag_aa(foreground: str, background: str, minimum: float) -> None:
    assert contrast(COLOURS[foreground], COLOURS[background]) >= minimum


def test_white_text_on_the_brand_colour_meets_aa() -> None:
    assert contrast("#ffffff", COLOURS["brand"]) >= 4.5
