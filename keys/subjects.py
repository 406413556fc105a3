"""Subject names of member and citizen certificates, and the member identifier inside them.

A member certificate carries the X-Road member identifier ``INSTANCE/CLASS/MEMBER`` in the
subject's serialNumber attribute, as X-Road's certificate profiles do; ``member_id_of`` reads
it back. serialNumber is a PrintableString of at most 64 characters (RFC 5280 appendix A.1), so
a member identifier outside that alphabet cannot be certified and is refused.
"""

from __future__ import annotations

import re

from cryptography import x509
from cryptography.x509.oid import NameOID

from keys.certificates import COUNTRY
from keys.errors import InvalidCertificateRequestError, InvalidMemberIdError

# PrintableString minus space, "/" and ":" (X-Road forbids those in identifier parts).
_PRINTABLE = re.compile(r"[A-Za-z0-9'()+,\-.=?]+")
_MAX_ATTRIBUTE = 64


def check_member_id(member_id: str) -> str:
    """``member_id`` if it is ``INSTANCE/CLASS/MEMBER`` and fits a certificate, else raise."""
    parts = member_id.split("/")
    if len(parts) != 3 or not all(parts):
        raise InvalidMemberIdError(
            f"member identifier {member_id!r} is not of the form INSTANCE/CLASS/MEMBER"
        )
    if len(member_id) > _MAX_ATTRIBUTE or not all(_PRINTABLE.fullmatch(p) for p in parts):
        raise InvalidMemberIdError(
            f"member identifier {member_id!r} cannot be certified: at most {_MAX_ATTRIBUTE} "
            "letters, digits and '()+,-.=? characters"
        )
    return member_id


def _checked(value: str, *, what: str) -> str:
    if not value.strip() or len(value) > _MAX_ATTRIBUTE:
        raise InvalidCertificateRequestError(f"{what} must have 1 to {_MAX_ATTRIBUTE} characters")
    return value


def member_subject(member_id: str, member_name: str) -> x509.Name:
    """C=LA, O=<member name>, CN=<member code>, serialNumber=<INSTANCE/CLASS/MEMBER>."""
    member_code = check_member_id(member_id).rsplit("/", 1)[-1]
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, COUNTRY),
            x509.NameAttribute(
                NameOID.ORGANIZATION_NAME, _checked(member_name, what="member name")
            ),
            x509.NameAttribute(NameOID.COMMON_NAME, member_code),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, member_id),
        ]
    )


def member_id_of(certificate: x509.Certificate) -> str:
    """The member identifier certified by a member certificate."""
    values = certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    if len(values) != 1 or not isinstance(values[0].value, str):
        raise InvalidMemberIdError("certificate names no member identifier")
    return check_member_id(values[0].value)


def citizen_subject(*, person_id: str, given_name: str, family_name: str) -> x509.Name:
    """A natural person (ETSI EN 319 412-1 section 5.1.3: serialNumber ``PNOLA-<id>``)."""
    if not re.fullmatch(r"[A-Za-z0-9-]{1,58}", person_id):
        raise InvalidCertificateRequestError("person identifier is not certifiable")
    given = _checked(given_name, what="given name")
    family = _checked(family_name, what="family name")
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, COUNTRY),
            x509.NameAttribute(NameOID.GIVEN_NAME, given),
            x509.NameAttribute(NameOID.SURNAME, family),
            x509.NameAttribute(NameOID.COMMON_NAME, _checked(f"{given} {family}", what="name")),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, f"PNOLA-{person_id}"),
        ]
    )


def service_subject(common_name: str) -> x509.Name:
    """One of OneDoor's own endpoints (services-ca)."""
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, COUNTRY),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "OneDoor"),
            x509.NameAttribute(NameOID.COMMON_NAME, _checked(common_name, what="common name")),
        ]
    )
