"""Who is in the exchange and what each member publishes: the default Lao topology.

The Ministry of Home Affairs' ``civil`` subsystem publishes the civil registry, the family book
and residence; three ministries consume them. Each publication names the registry path it is
bound to, the record type its responses must be (XSD-validated at both gateways), and the
consent policy of the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from exchange.xroad.identifiers import ClientId, ServiceId

INSTANCE = "LA"


@dataclass(frozen=True)
class Publication:
    """A service a subsystem publishes, bound to a path of the member system."""

    code: str
    title: str
    target: str
    record_type: str
    basis: Literal["consent", "legal_basis"] | None
    data_items: tuple[str, ...] = ()
    # How the gateway checks the record is the named subject's: the path ends with the
    # subject's id, or the household returned lists the subject among its members.
    subject_check: Literal["path", "household", "none"] = "path"


@dataclass(frozen=True)
class MemberSpec:
    """A member organisation, its subsystems, what it publishes and who may call it."""

    member: ClientId
    name: str
    subsystems: tuple[str, ...]
    publishes: dict[str, tuple[Publication, ...]] = field(default_factory=dict)
    # Clients granted GET on every publication of this member.
    grants_to: tuple[ClientId, ...] = ()
    member_system: str = "registries"

    @property
    def code(self) -> str:
        """``INSTANCE-CLASS-MEMBER``, the member's folder and URL-safe name."""
        return "-".join((self.member.instance, self.member.member_class, self.member.member_code))

    def services(self) -> list[tuple[ServiceId, Publication]]:
        return [
            (ServiceId(ClientId(*_parts(self.member), subsystem), p.code), p)
            for subsystem, publications in self.publishes.items()
            for p in publications
        ]


def _parts(member: ClientId) -> tuple[str, str, str]:
    return member.instance, member.member_class, member.member_code


PERSON_ITEMS = ("civil.person.birth_date", "civil.person.name", "civil.person.sex")
HOUSEHOLD_ITEMS = ("familybook.household.address", "familybook.household.members")
ADDRESS_ITEMS = ("residence.address",)

CIVIL_PUBLICATIONS = (
    Publication("person", "Person in the civil registry", "/civil/persons", "Person",
                "consent", PERSON_ITEMS),
    Publication("household", "Household in the family book", "/familybook/households",
                "Household", "consent", HOUSEHOLD_ITEMS, subject_check="household"),
    Publication("household-member", "The household a person belongs to", "/familybook/members",
                "Household", "consent", HOUSEHOLD_ITEMS),
    Publication("address", "A person's current address", "/residence", "Residence",
                "legal_basis", ADDRESS_ITEMS),
)

WELFARE = ClientId(INSTANCE, "GOV", "MOLSW", "welfare")
HEALTH = ClientId(INSTANCE, "GOV", "MOH", "health")
EDUCATION = ClientId(INSTANCE, "GOV", "MOES", "education")
CIVIL = ClientId(INSTANCE, "GOV", "MOHA", "civil")

DEFAULT_MEMBERS: tuple[MemberSpec, ...] = (
    MemberSpec(
        ClientId(INSTANCE, "GOV", "MOHA"), "Ministry of Home Affairs", ("civil",),
        publishes={"civil": CIVIL_PUBLICATIONS}, grants_to=(WELFARE, HEALTH, EDUCATION),
    ),
    MemberSpec(ClientId(INSTANCE, "GOV", "MOLSW"), "Ministry of Labour and Social Welfare",
               ("welfare",)),
    MemberSpec(ClientId(INSTANCE, "GOV", "MOH"), "Ministry of Health", ("health",)),
    MemberSpec(ClientId(INSTANCE, "GOV", "MOES"), "Ministry of Education and Sports",
               ("education",)),
)


def find_member(members: tuple[MemberSpec, ...], member: ClientId) -> MemberSpec:
    """The spec of ``member`` (or of a subsystem's member); raises KeyError."""
    for spec in members:
        if spec.member == member.member:
            return spec
    raise KeyError(str(member))
