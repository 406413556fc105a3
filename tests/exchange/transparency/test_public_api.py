"""What other components import from the transparency log stays importable and listed."""

from __future__ import annotations

import exchange.transparency as transparency


def test_everything_in_all_exists_and_is_sorted() -> None:
    for name in transparency.__all__:
        assert getattr(transparency, name) is not None, name
    assert transparency.__all__ == sorted(transparency.__all__)
