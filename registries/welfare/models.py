"""Tables of the social-welfare system (prefix ``welfare_``)."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base


class WelfareChildAllowanceCase(Base):
    """A child-allowance case; its document is the current ChildAllowanceCase record."""

    __tablename__ = "welfare_child_allowance_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(String(12), unique=True)
    child_id: Mapped[str] = mapped_column(String(12), index=True)
    status: Mapped[str] = mapped_column(String(16))
    document: Mapped[str] = mapped_column(Text)
