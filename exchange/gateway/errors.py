"""OneDoor's gateway errors beyond X-Road's: consent refusals, and peer errors with their detail.

    XRoadError
    ├── ConsentRefusedError    consent_refused   Server.ServerProxy.ConsentRefused (OneDoor)
    └── RemoteXRoadError
        └── RemoteDetailedError  a peer's refusal, keeping its ``detail`` code for the client
"""

from __future__ import annotations

from exchange.xroad.errors import RemoteXRoadError, XRoadError


class ConsentRefusedError(XRoadError):
    """The request about a person rests on no valid consent or legal basis."""

    code = "consent_refused"
    http_status = 403
    xroad_code = "ConsentRefused"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"consent refused: {reason}")

    @property
    def detail(self) -> str:
        """The body's ``detail``: the refusal's stable reason code."""
        return self.reason


class RemoteDetailedError(RemoteXRoadError):
    """A refusal by the peer gateway, forwarded with its type and its ``detail`` code."""

    def __init__(self, xroad_error: str, message: str, *, status: int, detail: str) -> None:
        super().__init__(xroad_error, message, status=status)
        self.detail = detail
