"""The central server's directory: members, subsystems, CAs, catalogue, grants; serial grows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from exchange.central import directory, grants
from exchange.central.errors import AlreadyRegisteredError, InvalidEntryError, NotRegisteredError
from exchange.central.globalconf import parse_global_configuration
from exchange.central.publisher import build_document
from exchange.xroad.identifiers import ClientId, GlobalGroupId, ServiceId
from tests.exchange.gateway.pki import build_pki

NOW = datetime(2026, 3, 1, tzinfo=UTC)
PKI = build_pki()
MOH = ClientId("LA", "GOV", "MOH")
REG = ClientId("LA", "GOV", "MOH", "REG")
PERSONS = ServiceId(REG, "persons")


def add_moh(
    session: Session, member: ClientId = MOH, url: str = "https://moh.example:8443"
) -> None:
    keys = PKI.member(member)
    directory.add_member(
        session, member=member, name="Ministry of Health", gateway_url=url,
        tls_certificate=keys.tls.certificate, signing_certificate=keys.signing.certificate,
        encryption_key=keys.encryption.public_key(), now=NOW,
    )


@pytest.fixture
def session(db_session: Session) -> Session:
    directory.init_instance(db_session, instance="LA", now=NOW)
    return db_session


def test_registered_directory_appears_in_the_global_configuration(session: Session) -> None:
    add_moh(session)
    directory.add_subsystem(session, subsystem=REG, now=NOW)
    directory.add_trusted_ca(session, name="org", certificate=PKI.org_ca.certificate, now=NOW)
    directory.add_service(session, service=PERSONS, title="Persons", openapi={"openapi": "3"},
                          now=NOW)
    consumer = ClientId("LA", "GOV", "MOH", "REG")
    grants.grant(session, service=PERSONS, subject=consumer, method="get",
                    path_prefix="/persons", now=NOW)
    conf = parse_global_configuration(build_document(session, now=NOW))
    assert conf.member(MOH).subsystems == frozenset({"REG"})
    assert conf.member(MOH).gateway_url == "https://moh.example:8443"
    assert conf.trusted_cas == (PKI.org_ca.certificate,)
    [right] = conf.service(PERSONS).access
    assert (right.subject, right.method, right.path_prefix) == (str(REG), "GET", "/persons")
    assert conf.service(PERSONS).openapi == {"openapi": "3"}


def test_every_change_bumps_the_serial(session: Session) -> None:
    before = directory.get_instance(session).serial
    add_moh(session)
    directory.add_subsystem(session, subsystem=REG, now=NOW)
    assert directory.get_instance(session).serial == before + 2


def test_services_are_denied_until_granted(session: Session) -> None:
    add_moh(session)
    directory.add_subsystem(session, subsystem=REG, now=NOW)
    directory.add_service(session, service=PERSONS, title="Persons", openapi=None, now=NOW)
    conf = parse_global_configuration(build_document(session, now=NOW))
    assert conf.service(PERSONS).access == ()


def test_duplicates_are_refused(session: Session) -> None:
    add_moh(session)
    with pytest.raises(AlreadyRegisteredError):
        add_moh(session)
    directory.add_subsystem(session, subsystem=REG, now=NOW)
    with pytest.raises(AlreadyRegisteredError):
        directory.add_subsystem(session, subsystem=REG, now=NOW)


def test_unregistered_references_are_refused(session: Session) -> None:
    with pytest.raises(NotRegisteredError):
        directory.add_subsystem(session, subsystem=REG, now=NOW)
    add_moh(session)
    with pytest.raises(NotRegisteredError):
        directory.add_service(session, service=PERSONS, title="P", openapi=None, now=NOW)
    directory.add_subsystem(session, subsystem=REG, now=NOW)
    directory.add_service(session, service=PERSONS, title="P", openapi=None, now=NOW)
    with pytest.raises(NotRegisteredError):
        grants.grant(session, service=PERSONS, subject=ClientId("LA", "GOV", "NOPE"), now=NOW)
    with pytest.raises(NotRegisteredError):
        grants.grant(session, service=PERSONS, subject=GlobalGroupId("LA", "none"), now=NOW)


def test_bad_entries_are_refused(session: Session) -> None:
    with pytest.raises(InvalidEntryError, match="https"):
        add_moh(session, url="http://moh.example")
    with pytest.raises(InvalidEntryError, match="instance"):
        add_moh(session, member=ClientId("XX", "GOV", "MOH"))
    with pytest.raises(InvalidEntryError, match="CA"):
        directory.add_trusted_ca(
            session, name="leaf", certificate=PKI.member(MOH).tls.certificate, now=NOW
        )
    with pytest.raises(InvalidEntryError, match="instance"):
        directory.init_instance(session, instance="TH", now=NOW)


def test_grant_validation_and_revoke(session: Session) -> None:
    add_moh(session)
    directory.add_subsystem(session, subsystem=REG, now=NOW)
    directory.add_service(session, service=PERSONS, title="P", openapi=None, now=NOW)
    with pytest.raises(InvalidEntryError):
        grants.grant(session, service=PERSONS, subject=MOH, method="BREW", now=NOW)
    with pytest.raises(InvalidEntryError):
        grants.grant(session, service=PERSONS, subject=MOH, path_prefix="/a/../b", now=NOW)
    grants.grant(session, service=PERSONS, subject=MOH, now=NOW)
    with pytest.raises(AlreadyRegisteredError):
        grants.grant(session, service=PERSONS, subject=MOH, now=NOW)
    assert grants.revoke(session, service=PERSONS, subject=MOH, now=NOW) == 1
    conf = parse_global_configuration(build_document(session, now=NOW))
    assert conf.service(PERSONS).access == ()


def test_groups(session: Session) -> None:
    add_moh(session)
    group = GlobalGroupId("LA", "health")
    directory.add_group_member(session, group=group, client=MOH, now=NOW)
    with pytest.raises(AlreadyRegisteredError):
        directory.add_group_member(session, group=group, client=MOH, now=NOW)
    conf = parse_global_configuration(build_document(session, now=NOW))
    assert conf.groups_of(REG) == frozenset({"group:LA/health"})
