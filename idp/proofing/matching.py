"""Matching what the citizen presents against the civil registry's record."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from idp.proofing.errors import IdentityMismatchError
from idp.proofing.registry import PersonFacts


@dataclass(frozen=True)
class ClaimedIdentity:
    """What the officer reads from the citizen's document; give Lao and/or romanised names."""

    person_id: str
    date_of_birth: date
    given_name_lo: str | None = None
    family_name_lo: str | None = None
    given_name_latin: str | None = None
    family_name_latin: str | None = None


def normalise_lao(name: str) -> str:
    """NFC (Lao vowels and tone marks have several encodings) and single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def normalise_latin(name: str) -> str:
    """NFC, case-folded, single spaces: romanisations differ in case, never in letters."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def normalise_person_id(person_id: str) -> str:
    return "".join(person_id.split()).upper()


def match_person(claim: ClaimedIdentity, facts: PersonFacts) -> None:
    """Raise IdentityMismatchError naming the fields that differ (identifier, names, birth)."""
    if claim.given_name_lo is None and claim.given_name_latin is None:
        raise IdentityMismatchError(("name",))
    mismatched: list[str] = []
    if normalise_person_id(claim.person_id) != normalise_person_id(facts.person_id):
        mismatched.append("person_id")
    pairs = (
        ("given_name_lo", claim.given_name_lo, facts.given_name_lo, normalise_lao),
        ("family_name_lo", claim.family_name_lo, facts.family_name_lo, normalise_lao),
        ("given_name_latin", claim.given_name_latin, facts.given_name_latin, normalise_latin),
        ("family_name_latin", claim.family_name_latin, facts.family_name_latin, normalise_latin),
    )
    for field, claimed, recorded, normalise in pairs:
        given_with_its_pair = claimed is not None or (
            field.startswith("family") and _given_for(claim, field) is not None
        )
        if given_with_its_pair and normalise(claimed or "") != normalise(recorded):
            mismatched.append(field)
    if claim.date_of_birth != facts.date_of_birth:
        mismatched.append("date_of_birth")
    if mismatched:
        raise IdentityMismatchError(tuple(mismatched))


def _given_for(claim: ClaimedIdentity, family_field: str) -> str | None:
    return claim.given_name_lo if family_field.endswith("_lo") else claim.given_name_latin
