"""Each subscriber's inbox (prefix ``reactions_``): the events it has already acted on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base
from onedoor.dbtypes import UtcDateTime


class _Inbox:
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(32))
    processed_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ReactionsFamilybookInbox(_Inbox, Base):
    __tablename__ = "reactions_familybook_inbox"


class ReactionsWelfareInbox(_Inbox, Base):
    __tablename__ = "reactions_welfare_inbox"


class ReactionsHealthInbox(_Inbox, Base):
    __tablename__ = "reactions_health_inbox"


class ReactionsEducationInbox(_Inbox, Base):
    __tablename__ = "reactions_education_inbox"


class ReactionsStatisticsInbox(_Inbox, Base):
    __tablename__ = "reactions_statistics_inbox"


class ReactionsTaxInbox(_Inbox, Base):
    __tablename__ = "reactions_tax_inbox"
