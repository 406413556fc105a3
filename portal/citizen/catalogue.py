"""What a citizen may choose from when giving consent: consumers, purposes and data items.

Consumers are the members and subsystems of the central directory; data items are those
of services whose policy asks for consent, each with the subsystem that provides it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.central.models import CentralMember, CentralSubsystem
from exchange.consent.identifiers import service_provider
from exchange.consent.models import Purpose, ServicePolicy


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class ConsentCatalogue:
    consumers: list[Choice]
    purposes: list[Purpose]
    items: list[Choice]
    providers_of: dict[str, set[str]]

    @property
    def empty(self) -> bool:
        return not (self.consumers and self.purposes and self.items)


def load_catalogue(session: Session) -> ConsentCatalogue:
    consumers: list[Choice] = []
    for member in session.scalars(select(CentralMember).order_by(CentralMember.member_id)):
        consumers.append(Choice(member.member_id, member.name))
        for subsystem in session.scalars(
            select(CentralSubsystem)
            .where(CentralSubsystem.member_pk == member.id)
            .order_by(CentralSubsystem.code)
        ):
            consumers.append(
                Choice(f"{member.member_id}/{subsystem.code}", f"{member.name} ({subsystem.code})")
            )
    providers_of: dict[str, set[str]] = {}
    for policy in session.scalars(select(ServicePolicy).where(ServicePolicy.mode == "consent")):
        for item in policy.data_items:
            providers_of.setdefault(item, set()).add(service_provider(policy.service))
    items = [Choice(item, item) for item in sorted(providers_of)]
    purposes = list(session.scalars(select(Purpose).order_by(Purpose.code)))
    return ConsentCatalogue(consumers, purposes, items, providers_of)
