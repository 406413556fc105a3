"""Request and response bodies of the consent API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from exchange.consent.models import Consent
from exchange.consent.preview import PreviewView


class GiveConsent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data_consumer: str = Field(max_length=300)
    data_providers: list[str] = Field(min_length=1, max_length=20)
    data_items: list[str] = Field(min_length=1, max_length=100)
    purpose: str = Field(max_length=64)
    not_before: AwareDatetime | None = None
    not_after: AwareDatetime
    max_uses: int | None = Field(default=None, ge=1)


class ChangeConsent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=500)


class ConsentOut(BaseModel):
    id: str
    data_consumer: str
    data_providers: list[str]
    data_items: list[str]
    purpose: str
    not_before: datetime
    not_after: datetime
    max_uses: int | None
    uses: int
    state: str
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, consent: Consent) -> ConsentOut:
        return cls(
            id=consent.id,
            data_consumer=consent.consumer,
            data_providers=list(consent.providers),
            data_items=list(consent.data_items),
            purpose=consent.purpose,
            not_before=consent.not_before,
            not_after=consent.not_after,
            max_uses=consent.max_uses,
            uses=consent.uses,
            state=consent.state,
            version=consent.version,
            created_at=consent.created_at,
            updated_at=consent.updated_at,
        )


class SignedArtefact(BaseModel):
    """The artefact and its detached JWS: verify over the artefact's canonical JSON."""

    model_config = ConfigDict(extra="forbid")

    artefact: dict[str, Any]
    signature: str = Field(max_length=2000)


class Verification(BaseModel):
    valid: bool
    consent_id: str
    version: int
    state: str
    key_id: str
    current: bool = Field(description="this is the consent's latest version")


class PreviewOut(BaseModel):
    id: str
    application_ref: str
    items: dict[str, Any]
    created_at: datetime
    expires_at: datetime
    decision: str | None
    decided_at: datetime | None
    expired: bool

    @classmethod
    def of(cls, view: PreviewView) -> PreviewOut:
        return cls(**view.__dict__)
