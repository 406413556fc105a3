"""The DPO's search form: typed fields to a ``SearchFilter``, and the record of each search.

A citizen is searched for by the person identifier typed into a POSTed form; it is turned
into the log's keyed pseudonym here, on the server, and never stored, logged or put in a URL.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.transparency.entry import OUTCOMES
from exchange.transparency.pseudonym import SubjectPseudonymizer
from exchange.transparency.search import SearchFilter
from portal.i18n import N_
from portal.privacy.models import PortalPrivacySearch
from schemas.errors import InvalidPersonIdError
from schemas.identifiers import PersonId

TEXT_FIELDS = ("member", "user_id", "service", "purpose")
FORM_FIELDS = ("person_id", *TEXT_FIELDS, "outcome", "since", "until")
MAX_TEXT = 255
ACTIONS = ("search", "export", "verify", "anomalies", "chart")


class CriteriaInvalid(Exception):  # noqa: N818 - a result carrier, shown beside the fields
    """The form's field errors (msgids)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("search criteria invalid")
        self.errors = errors


@dataclass(frozen=True)
class Criteria:
    """A parsed search: the filter to run and what may be echoed back into the form."""

    where: SearchFilter
    values: dict[str, str]

    def recorded(self) -> str:
        """The criteria as stored in the DPO audit trail: pseudonym, never the typed id."""
        fields = {k: v.isoformat() if isinstance(v, datetime) else v
                  for k, v in asdict(self.where).items() if v is not None}
        return json.dumps(fields, sort_keys=True, ensure_ascii=False)


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), UTC)


def parse_criteria(
    form: Mapping[str, str], *, pseudonymizer: SubjectPseudonymizer
) -> Criteria:
    """The filter of a POSTed search form; raises CriteriaInvalid naming each wrong field."""
    values = {name: str(form.get(name, "")).strip() for name in FORM_FIELDS}
    errors: dict[str, str] = {}
    subject: str | None = None
    if values["person_id"]:
        try:
            subject = pseudonymizer.pseudonym(PersonId.parse(values["person_id"]).value)
        except InvalidPersonIdError:
            errors["person_id"] = N_("This is not a valid person identifier.")
    for name in TEXT_FIELDS:
        if len(values[name]) > MAX_TEXT or any(ord(c) < 0x20 for c in values[name]):
            errors[name] = N_("This value is too long.")
    if values["outcome"] and values["outcome"] not in OUTCOMES:
        errors["outcome"] = N_("Choose allowed or refused.")
    days: dict[str, date | None] = {}
    for name in ("since", "until"):
        try:
            days[name] = _day(values[name])
        except ValueError:
            errors[name] = N_("Enter a date.")
    since, until = days.get("since"), days.get("until")
    if since and until and since > until:
        errors["until"] = N_("The end date must not be before the start date.")
    if errors:
        raise CriteriaInvalid(errors)
    where = SearchFilter(
        subject_pseudonym=subject,
        **{name: values[name] or None for name in TEXT_FIELDS},
        outcome=values["outcome"] or None,
        since=day_start(since) if since else None,
        until=day_start(until) + timedelta(days=1) if until else None,
    )
    return Criteria(where, values)


def record_action(
    session: Session, *, officer_subject: str, action: str, criteria: str,
    result_count: int | None, now: datetime,
) -> PortalPrivacySearch:
    """Append one DPO action to the audit trail (in the caller's transaction)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    row = PortalPrivacySearch(
        officer_subject=officer_subject, action=action, criteria=criteria,
        result_count=result_count, created_at=int(now.timestamp()),
    )
    session.add(row)
    session.flush()
    return row


def recent_actions(session: Session, *, limit: int = 20) -> list[PortalPrivacySearch]:
    """The latest actions of every DPO, newest first (DPOs see each other's work)."""
    return list(session.scalars(
        select(PortalPrivacySearch).order_by(PortalPrivacySearch.id.desc()).limit(limit)
    ))
