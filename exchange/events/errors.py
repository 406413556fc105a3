"""Errors of life-event routing, each with a stable ``code``.

OneDoorError
├── NotFoundError
│   └── EventNotFoundError              event_not_found (404)
└── InvalidRequestError
    ├── InvalidEventError               event_invalid (400)
    └── SubscriptionRefusedError        subscription_refused (403): no legal basis in force
"""

from __future__ import annotations

from onedoor.errors import InvalidRequestError, NotFoundError


class EventNotFoundError(NotFoundError):
    """No such event or delivery."""

    code = "event_not_found"


class InvalidEventError(InvalidRequestError):
    """The event is not one this router publishes or accepts."""

    code = "event_invalid"


class SubscriptionRefusedError(InvalidRequestError):
    """A subscription must rest on a legal basis in force for this subscriber and event."""

    code = "subscription_refused"
    http_status = 403
