"""Errors of the schemas package: refused XML input and records that break their schema.

OneDoorError
├── XmlRefusedError             xml_refused: input we will not parse
│   ├── XmlForbiddenError       xml_forbidden: DTD, entity declaration or external reference
│   ├── XmlTooLargeError        xml_too_large
│   ├── XmlTooDeepError         xml_too_deep
│   ├── XmlEncodingError        xml_invalid_encoding: not UTF-8
│   └── XmlMalformedError       xml_malformed: not well-formed
├── SchemaInvalidError          schema_invalid: well-formed but breaks the record's XSD
├── UnknownRecordTypeError      unknown_record_type
└── InvalidPersonIdError        invalid_person_id
"""

from __future__ import annotations

from onedoor.errors import InvalidRequestError, OneDoorError


class XmlRefusedError(InvalidRequestError):
    """The XML input was refused."""

    code = "xml_refused"


class XmlForbiddenError(XmlRefusedError):
    """XML with a DTD, entity declarations or external references is not accepted."""

    code = "xml_forbidden"


class XmlTooLargeError(XmlRefusedError):
    """The XML document is larger than allowed."""

    code = "xml_too_large"
    http_status = 413


class XmlTooDeepError(XmlRefusedError):
    """The XML document nests elements deeper than allowed."""

    code = "xml_too_deep"


class XmlEncodingError(XmlRefusedError):
    """The XML document is not valid UTF-8."""

    code = "xml_invalid_encoding"


class XmlMalformedError(XmlRefusedError):
    """The XML document is not well-formed."""

    code = "xml_malformed"


class SchemaInvalidError(OneDoorError):
    """The record does not conform to its XML Schema."""

    code = "schema_invalid"
    http_status = 422

    def __init__(self, record_type: str, path: str, reason: str) -> None:
        self.record_type = record_type
        self.path = path
        self.reason = reason
        super().__init__(f"{record_type} breaks its schema at {path}: {reason}")


class UnknownRecordTypeError(InvalidRequestError):
    """No schema is registered for this record type."""

    code = "unknown_record_type"


class InvalidPersonIdError(InvalidRequestError):
    """The person identifier is malformed or its check digit is wrong."""

    code = "invalid_person_id"
