"""The family book acts on births, deaths and moves: households follow without re-entry."""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.events.envelope import LifeEvent
from exchange.events.outcomes import Outcome
from exchange.events.types import EventType
from registries.errors import RecordNotFoundError
from registries.familybook import service as familybook
from registries.reactions.handler import Handler
from schemas.codec import JsonRecord
from schemas.identifiers import PersonId

# The newborn's relationship to the head, from the parent's relationship to the head.
_CHILD_OF = {"head": "child", "spouse": "child", "child": "grandchild"}
_NOT_LISTED = Outcome(
    "ບໍ່ມີຊື່ໃນປຶ້ມສຳມະໂນຄົວ; ບໍ່ມີຫຍັງຕ້ອງປ່ຽນ",
    "Not listed in any family book; nothing to change.",
)


def on_birth(session: Session, event: LifeEvent) -> Outcome:
    """Add the child to the household of the mother, else of the father."""
    child = PersonId.parse(event.subject_id)
    for key in ("motherId", "fatherId"):
        if key not in event.payload:
            continue
        household = _household_of(session, event.payload[key])
        if household is None:
            continue
        relationship = _CHILD_OF.get(_relationship(household, event.payload[key]), "other-relative")
        familybook.add_member(
            session,
            household_id=household["householdId"],
            person_id=child,
            relationship=relationship,
            since=event.occurred_on,
        )
        hid = household["householdId"]
        return Outcome(
            f"ໄດ້ເພີ່ມເດັກເຂົ້າໃນປຶ້ມສຳມະໂນຄົວ {hid} ແລ້ວ",
            f"The child was added to family book {hid}.",
        )
    return Outcome(
        "ບໍ່ພົບປຶ້ມສຳມະໂນຄົວຂອງພໍ່ແມ່; ຍັງບໍ່ໄດ້ເພີ່ມເດັກ",
        "No family book of the parents was found; the child was not added.",
    )


def on_death(session: Session, event: LifeEvent) -> Outcome:
    """Take the deceased off their household (a head stays until a new head is named)."""
    household = _household_of(session, event.subject_id)
    if household is None:
        return _NOT_LISTED
    hid = household["householdId"]
    if household["headId"] == event.subject_id:
        return Outcome(
            f"ຫົວໜ້າຄອບຄົວ {hid} ເສຍຊີວິດ; ຫ້ອງການເມືອງຈະແຕ່ງຕັ້ງຫົວໜ້າຄົນໃໝ່",
            f"The head of family book {hid} died; the district office will name a new head.",
        )
    familybook.remove_member(session, household_id=hid, person_id=PersonId.parse(event.subject_id))
    return Outcome(
        f"ໄດ້ລຶບຜູ້ເສຍຊີວິດອອກຈາກປຶ້ມສຳມະໂນຄົວ {hid} ແລ້ວ",
        f"The deceased was taken off family book {hid}.",
    )


def on_change_of_address(session: Session, event: LifeEvent) -> Outcome:
    """A head moves the whole household; another member leaves it (and joins the one named)."""
    person = PersonId.parse(event.subject_id)
    household = _household_of(session, event.subject_id)
    target = event.payload.get("householdId")
    if household is not None and household["headId"] == person.value:
        hid = household["householdId"]
        familybook.move_household(session, household_id=hid, address=event.payload["address"])
        return Outcome(
            f"ໄດ້ປ່ຽນທີ່ຢູ່ຂອງປຶ້ມສຳມະໂນຄົວ {hid} ແລ້ວ",
            f"The address of family book {hid} was updated.",
        )
    if household is not None and household["householdId"] == target:
        return Outcome(
            "ປຶ້ມສຳມະໂນຄົວຖືກຕ້ອງແລ້ວ; ບໍ່ມີຫຍັງຕ້ອງປ່ຽນ",
            "The family book is already up to date; nothing to change.",
        )
    if household is not None:
        familybook.remove_member(session, household_id=household["householdId"], person_id=person)
    if target is not None:
        try:
            familybook.add_member(
                session,
                household_id=target,
                person_id=person,
                relationship="other-relative",
                since=event.occurred_on,
            )
        except RecordNotFoundError:
            target = None
    if household is None and target is None:
        return _NOT_LISTED
    old = household["householdId"] if household else None
    lao = [f"ອອກຈາກປຶ້ມສຳມະໂນຄົວ {old}" if old else "", f"ເຂົ້າປຶ້ມສຳມະໂນຄົວ {target}" if target else ""]
    english = [
        f"left family book {old}" if old else "",
        f"joined family book {target}" if target else "",
    ]
    return Outcome(
        "ປັບປຸງປຶ້ມສຳມະໂນຄົວຕາມທີ່ຢູ່ໃໝ່: " + " ແລະ ".join(p for p in lao if p),
        "The family book follows the new address: " + " and ".join(p for p in english if p) + ".",
    )


def _household_of(session: Session, person_id: str) -> JsonRecord | None:
    try:
        return familybook.household_of(session, person_id=PersonId.parse(person_id))
    except RecordNotFoundError:
        return None


def _relationship(household: JsonRecord, person_id: str) -> str:
    for member in household["members"]["member"]:
        if member["personId"] == person_id:
            return str(member["relationship"])
    return ""


HANDLERS: dict[EventType, Handler] = {
    EventType.birth: on_birth,
    EventType.death: on_death,
    EventType.change_of_address: on_change_of_address,
}
