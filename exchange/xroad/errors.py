"""X-Road error classes: the ``X-Road-Error`` header values, defined once as typed errors.

An X-Road error type is ``{origin}.{code}``: ``Client.*`` when the caller sent something wrong,
``Server.ClientProxy.*`` when the consumer's gateway failed, ``Server.ServerProxy.*`` when the
provider's gateway failed (X-Road Message Protocol for REST 1.0, section 4.4). The origin of a
``Server`` error depends on which gateway raised it, so the classes below carry only the code
and the gateway labels them (``xroad_type``). Codes follow X-Road's ``ErrorCodes``; the few
OneDoor adds (end-to-end decryption, replay, message time, schema) are marked so.

    XRoadError                         code                     X-Road code
    ├── ClientError (Client.*)
    │   ├── MissingHeaderError         missing_header           MissingHeaderField
    │   ├── InvalidClientIdentifierError                        InvalidClientIdentifier
    │   ├── InvalidServiceIdentifierError                       InvalidServiceIdentifier
    │   ├── InvalidXRoadRequestError   invalid_xroad_request    InvalidRequest
    │   └── RequestTooLargeError       request_too_large        RequestTooLarge
    ├── UnknownMemberError             unknown_member           UnknownMember
    ├── UnknownServiceError            unknown_service          UnknownService
    ├── AccessDeniedError              access_denied            AccessDenied
    ├── SslAuthenticationError         ssl_auth_failed          SslAuthenticationFailed
    ├── CertValidationError            cert_validation          CertValidation
    ├── InvalidSignatureError          invalid_signature        InvalidSignatureValue
    ├── InvalidMessageError            invalid_message          InvalidMessage
    │   ├── DecryptionFailedError      decryption_failed        DecryptionFailed (OneDoor)
    │   ├── MessageTimeError           message_time_invalid     MessageTimeInvalid (OneDoor)
    │   └── ReplayedMessageError       replayed_message         DuplicateMessageId (OneDoor)
    ├── SchemaValidationError          schema_invalid           SchemaValidationFailed (OneDoor)
    ├── ServiceFailedError             service_failed           ServiceFailed
    ├── NetworkError                   network_error            NetworkError
    ├── InvalidGlobalConfError         invalid_globalconf       MalformedGlobalConf
    ├── OutdatedGlobalConfError        outdated_globalconf      OutdatedGlobalConf
    └── RemoteXRoadError               (a peer's error, forwarded with its type unchanged)
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from onedoor.errors import OneDoorError


class Origin(StrEnum):
    CLIENT = "Client"
    CLIENT_PROXY = "Server.ClientProxy"
    SERVER_PROXY = "Server.ServerProxy"


class XRoadError(OneDoorError):
    """An exchange failure that is reported with an ``X-Road-Error`` header."""

    code = "xroad_error"
    http_status = 500
    xroad_code: ClassVar[str] = "InternalError"

    def xroad_type(self, side: Origin) -> str:
        """The ``X-Road-Error`` value when raised by the gateway on ``side``."""
        return f"{side}.{self.xroad_code}"


class ClientError(XRoadError):
    """The caller's request is wrong; reported as ``Client.*`` whichever gateway saw it."""

    code = "xroad_client_error"
    http_status = 400
    xroad_code = "BadRequest"

    def xroad_type(self, side: Origin) -> str:
        return f"{Origin.CLIENT}.{self.xroad_code}"


class MissingHeaderError(ClientError):
    """A mandatory X-Road header is missing."""

    code = "missing_header"
    xroad_code = "MissingHeaderField"


class InvalidClientIdentifierError(ClientError):
    """The client identifier is malformed."""

    code = "invalid_client_identifier"
    xroad_code = "InvalidClientIdentifier"


class InvalidServiceIdentifierError(ClientError):
    """The service identifier is malformed."""

    code = "invalid_service_identifier"
    xroad_code = "InvalidServiceIdentifier"


class InvalidXRoadRequestError(ClientError):
    """The request cannot be processed as sent."""

    code = "invalid_xroad_request"
    xroad_code = "InvalidRequest"


class RequestTooLargeError(ClientError):
    """The message body is larger than the gateway accepts."""

    code = "request_too_large"
    http_status = 413
    xroad_code = "RequestTooLarge"


class UnknownMemberError(XRoadError):
    """The member or subsystem is not in the global configuration."""

    code = "unknown_member"
    http_status = 404
    xroad_code = "UnknownMember"


class UnknownServiceError(XRoadError):
    """The service is not in the catalogue or not served by this gateway."""

    code = "unknown_service"
    http_status = 404
    xroad_code = "UnknownService"


class AccessDeniedError(XRoadError):
    """The client has not been granted this service."""

    code = "access_denied"
    http_status = 403
    xroad_code = "AccessDenied"


class SslAuthenticationError(XRoadError):
    """The peer gateway's TLS certificate is not the one the directory names."""

    code = "ssl_auth_failed"
    http_status = 502
    xroad_code = "SslAuthenticationFailed"


class CertValidationError(XRoadError):
    """A certificate does not chain to a trusted CA or is not valid now."""

    code = "cert_validation"
    http_status = 403
    xroad_code = "CertValidation"


class InvalidSignatureError(XRoadError):
    """The message signature does not verify with the sender's signing certificate."""

    code = "invalid_signature"
    http_status = 400
    xroad_code = "InvalidSignatureValue"


class InvalidMessageError(XRoadError):
    """The message envelope is malformed."""

    code = "invalid_message"
    http_status = 400
    xroad_code = "InvalidMessage"


class DecryptionFailedError(InvalidMessageError):
    """The body was not encrypted for this member or was altered."""

    code = "decryption_failed"
    xroad_code = "DecryptionFailed"


class MessageTimeError(InvalidMessageError):
    """The message timestamp is outside the accepted window."""

    code = "message_time_invalid"
    xroad_code = "MessageTimeInvalid"


class ReplayedMessageError(InvalidMessageError):
    """This message id was already received from this sender."""

    code = "replayed_message"
    http_status = 409
    xroad_code = "DuplicateMessageId"


class SchemaValidationError(XRoadError):
    """The message body does not conform to the service's schema."""

    code = "schema_invalid"
    http_status = 400
    xroad_code = "SchemaValidationFailed"


class ServiceFailedError(XRoadError):
    """The member system behind the provider's gateway failed or did not answer."""

    code = "service_failed"
    http_status = 502
    xroad_code = "ServiceFailed"


class NetworkError(XRoadError):
    """The peer gateway could not be reached in time."""

    code = "network_error"
    http_status = 502
    xroad_code = "NetworkError"


class InvalidGlobalConfError(XRoadError):
    """The global configuration is malformed or its signature does not verify."""

    code = "invalid_globalconf"
    http_status = 503
    xroad_code = "MalformedGlobalConf"


class OutdatedGlobalConfError(XRoadError):
    """No global configuration that is valid now is available."""

    code = "outdated_globalconf"
    http_status = 503
    xroad_code = "OutdatedGlobalConf"


class RemoteXRoadError(XRoadError):
    """An error reported by the peer gateway, forwarded to the client unchanged."""

    code = "remote_error"

    def __init__(self, xroad_error: str, message: str, *, status: int) -> None:
        super().__init__(message)
        self.remote_type = xroad_error
        self.status = status

    def xroad_type(self, side: Origin) -> str:
        return self.remote_type
