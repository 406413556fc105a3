"""Message time window: a message issued too long ago, or in the future, is refused."""

from __future__ import annotations

from exchange.messages.header import MessageHeader
from exchange.xroad.errors import MessageTimeError

DEFAULT_WINDOW_SECONDS = 300


def check_message_time(
    header: MessageHeader, *, now: int, window: int = DEFAULT_WINDOW_SECONDS
) -> None:
    """Raise MessageTimeError unless ``issued_at`` is within ``window`` seconds of ``now``."""
    if abs(now - header.issued_at) > window:
        raise MessageTimeError(
            f"message time is more than {window} s away from the receiver's clock"
        )
