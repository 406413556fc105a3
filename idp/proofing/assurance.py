"""From the evidence an officer checked to an eIDAS level of assurance (2015/1502 annex 2.1).

| how identity was checked                                           | level       |
|--------------------------------------------------------------------|-------------|
| self-registration online (registry match on typed data only)       | low         |
| in person, without a photo document (family book, birth cert.)     | low         |
| in person, photo identity document checked (ID card, passport)     | substantial |
| in person, biometric match or chip read without a photo document   | substantial |
| in person, photo document plus biometric match or chip read        | high        |

Every path also requires that the civil registry knows the person, the identifier, names and
date of birth match it, and the person is alive (:mod:`idp.proofing.service`).
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from idp.accounts.levels import AssuranceLevel
from idp.proofing.errors import InsufficientEvidenceError


class EvidenceType(StrEnum):
    NATIONAL_ID_CARD = "national_id_card"
    PASSPORT = "passport"
    FAMILY_BOOK = "family_book"
    BIRTH_CERTIFICATE = "birth_certificate"
    BIOMETRIC_MATCH = "biometric_match"  # face or fingerprint matched to the registry's record
    CHIP_VERIFIED = "chip_verified"  # electronic document chip read and its signature checked


class ProofingMethod(StrEnum):
    IN_PERSON = "in_person"
    REMOTE = "remote"


PHOTO_DOCUMENTS = frozenset({EvidenceType.NATIONAL_ID_CARD, EvidenceType.PASSPORT})
STRONG_CHECKS = frozenset({EvidenceType.BIOMETRIC_MATCH, EvidenceType.CHIP_VERIFIED})


def assurance_for(method: ProofingMethod, evidence: Collection[EvidenceType]) -> AssuranceLevel:
    """The level the table above gives; in-person proofing needs at least one piece."""
    if method is ProofingMethod.REMOTE:
        return AssuranceLevel.LOW
    if not evidence:
        raise InsufficientEvidenceError("in-person proofing needs at least one piece of evidence")
    kinds = set(evidence)
    if kinds & PHOTO_DOCUMENTS and kinds & STRONG_CHECKS:
        return AssuranceLevel.HIGH
    if kinds & (PHOTO_DOCUMENTS | STRONG_CHECKS):
        return AssuranceLevel.SUBSTANTIAL
    return AssuranceLevel.LOW


def encode_evidence(evidence: Collection[EvidenceType]) -> str:
    return " ".join(sorted(item.value for item in set(evidence)))


def decode_evidence(text: str) -> frozenset[EvidenceType]:
    return frozenset(EvidenceType(item) for item in text.split())
