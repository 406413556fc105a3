"""Build the global configuration document from the central server's tables."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.central.directory import get_instance
from exchange.central.globalconf import FORMAT_VERSION
from exchange.central.models import (
    CentralAccessRight,
    CentralGroup,
    CentralGroupMember,
    CentralMember,
    CentralService,
    CentralSubsystem,
    CentralTrustedCa,
)

# Long enough for a rural gateway to ride out a day without the central server.
DEFAULT_VALIDITY = timedelta(hours=24)


def build_document(
    session: Session, *, now: datetime, validity: timedelta = DEFAULT_VALIDITY
) -> dict[str, Any]:
    """The current directory as a global configuration document (unsigned)."""
    instance = get_instance(session)
    subsystems: dict[int, list[str]] = defaultdict(list)
    members = session.scalars(select(CentralMember).order_by(CentralMember.member_id)).all()
    for sub in session.scalars(select(CentralSubsystem).order_by(CentralSubsystem.code)):
        subsystems[sub.member_pk].append(sub.code)
    rights: dict[int, list[dict[str, str]]] = defaultdict(list)
    for right in session.scalars(
        select(CentralAccessRight).order_by(
            CentralAccessRight.subject, CentralAccessRight.method, CentralAccessRight.path_prefix
        )
    ):
        rights[right.service_pk].append(
            {"subject": right.subject, "method": right.method, "path_prefix": right.path_prefix}
        )
    group_members: dict[int, list[str]] = defaultdict(list)
    for gm in session.scalars(select(CentralGroupMember).order_by(CentralGroupMember.client_id)):
        group_members[gm.group_pk].append(gm.client_id)
    tsa = (
        {"url": instance.tsa_url, "certificate": instance.tsa_certificate}
        if instance.tsa_url and instance.tsa_certificate
        else None
    )
    return {
        "version": FORMAT_VERSION,
        "instance": instance.instance,
        "serial": instance.serial,
        "generated_at": now.isoformat(),
        "expires_at": (now + validity).isoformat(),
        "trusted_cas": [
            {"name": ca.name, "certificate": ca.certificate}
            for ca in session.scalars(select(CentralTrustedCa).order_by(CentralTrustedCa.name))
        ],
        "timestamp_authority": tsa,
        "members": [
            {
                "id": m.member_id,
                "name": m.name,
                "gateway_url": m.gateway_url,
                "tls_certificate": m.tls_certificate,
                "signing_certificate": m.signing_certificate,
                "encryption_key": m.encryption_key,
                "subsystems": subsystems[m.id],
            }
            for m in members
        ],
        "groups": [
            {"id": g.code, "description": g.description, "members": group_members[g.id]}
            for g in session.scalars(select(CentralGroup).order_by(CentralGroup.code))
        ],
        "services": [
            {
                "id": s.service_id,
                "title": s.title,
                "openapi": json.loads(s.openapi) if s.openapi is not None else None,
                "access": rights[s.id],
            }
            for s in session.scalars(select(CentralService).order_by(CentralService.service_id))
        ],
    }
