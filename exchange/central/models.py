"""Central server tables: the instance, member directory, trusted CAs and service catalogue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from onedoor.db import Base

ID_LENGTH = 1100  # six identifier parts of at most 255 characters, plus separators


class CentralInstance(Base):
    """The one row describing this X-Road instance; ``serial`` grows with every change."""

    __tablename__ = "central_instance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance: Mapped[str] = mapped_column(String(255))
    serial: Mapped[int] = mapped_column(Integer)
    tsa_url: Mapped[str | None] = mapped_column(String(2048))
    tsa_certificate: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CentralMember(Base):
    __tablename__ = "central_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[str] = mapped_column(String(ID_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    gateway_url: Mapped[str] = mapped_column(String(2048))
    tls_certificate: Mapped[str] = mapped_column(Text)
    signing_certificate: Mapped[str] = mapped_column(Text)
    encryption_key: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CentralSubsystem(Base):
    __tablename__ = "central_subsystem"
    __table_args__ = (UniqueConstraint("member_pk", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_pk: Mapped[int] = mapped_column(ForeignKey("central_member.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(255))


class CentralTrustedCa(Base):
    __tablename__ = "central_trusted_ca"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    certificate: Mapped[str] = mapped_column(Text)


class CentralGroup(Base):
    __tablename__ = "central_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(255), unique=True)
    description: Mapped[str] = mapped_column(String(255))


class CentralGroupMember(Base):
    __tablename__ = "central_group_member"
    __table_args__ = (UniqueConstraint("group_pk", "client_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_pk: Mapped[int] = mapped_column(ForeignKey("central_group.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(ID_LENGTH))


class CentralService(Base):
    __tablename__ = "central_service"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(String(ID_LENGTH), unique=True)
    subsystem_pk: Mapped[int] = mapped_column(
        ForeignKey("central_subsystem.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(String(255))
    openapi: Mapped[str | None] = mapped_column(Text)


class CentralAccessRight(Base):
    """A grant by the provider: ``subject`` may call ``method`` under ``path_prefix``."""

    __tablename__ = "central_access_right"
    __table_args__ = (UniqueConstraint("service_pk", "subject", "method", "path_prefix"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_pk: Mapped[int] = mapped_column(ForeignKey("central_service.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(ID_LENGTH))
    method: Mapped[str] = mapped_column(String(16))
    path_prefix: Mapped[str] = mapped_column(String(1024))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
