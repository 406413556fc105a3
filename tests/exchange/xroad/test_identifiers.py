"""X-Road identifiers parse once at the edge and refuse X-Road's forbidden characters."""

from __future__ import annotations

import pytest

from exchange.xroad.errors import (
    InvalidClientIdentifierError,
    InvalidServiceIdentifierError,
    Origin,
)
from exchange.xroad.identifiers import (
    ClientId,
    GlobalGroupId,
    ServiceId,
    parse_client_id,
    parse_group_id,
    parse_member_id,
    parse_service_id,
    parse_subject,
    parse_subsystem_id,
)


def test_member_and_subsystem_round_trip() -> None:
    member = parse_client_id("LA/GOV/MOH")
    assert member == ClientId("LA", "GOV", "MOH") and not member.is_subsystem
    subsystem = parse_subsystem_id("LA/GOV/MOH/REG")
    assert subsystem.member == member
    assert str(subsystem) == "LA/GOV/MOH/REG" and subsystem.object_type == "SUBSYSTEM"


def test_service_with_and_without_version() -> None:
    service = parse_service_id("LA/GOV/MOH/REG/persons/v1")
    assert service.provider == ClientId("LA", "GOV", "MOH", "REG")
    assert (service.service_code, service.version) == ("persons", "v1")
    assert str(parse_service_id("LA/GOV/MOH/REG/persons")) == "LA/GOV/MOH/REG/persons"


@pytest.mark.parametrize("bad", [":", ";", "%", "\\", "\x00", "\n", "\t", " ", "\u200b"])
def test_forbidden_characters_are_refused(bad: str) -> None:
    with pytest.raises(InvalidClientIdentifierError):
        parse_client_id(f"LA/GOV/MO{bad}H")
    with pytest.raises(InvalidServiceIdentifierError):
        parse_service_id(f"LA/GOV/MOH/REG/per{bad}sons")


@pytest.mark.parametrize(
    "text", ["", "LA", "LA/GOV", "LA/GOV/MOH/REG/X", "LA//MOH", "/GOV/MOH", "LA/GOV/" + "x" * 256]
)
def test_wrong_shapes_are_refused(text: str) -> None:
    with pytest.raises(InvalidClientIdentifierError):
        parse_client_id(text)


def test_member_and_subsystem_parsers_insist_on_their_kind() -> None:
    with pytest.raises(InvalidClientIdentifierError):
        parse_member_id("LA/GOV/MOH/REG")
    with pytest.raises(InvalidClientIdentifierError):
        parse_subsystem_id("LA/GOV/MOH")


def test_service_needs_a_subsystem_provider() -> None:
    with pytest.raises(ValueError, match="subsystem"):
        ServiceId(ClientId("LA", "GOV", "MOH"), "persons")


def test_unicode_letters_are_allowed() -> None:
    assert parse_client_id("LA/GOV/ກະຊວງ").member_code == "ກະຊວງ"


def test_groups_and_subjects() -> None:
    group = parse_group_id("group:LA/ministries")
    assert group == GlobalGroupId("LA", "ministries") and str(group) == "group:LA/ministries"
    assert parse_subject("group:LA/ministries") == group
    assert parse_subject("LA/GOV/MOH") == ClientId("LA", "GOV", "MOH")
    with pytest.raises(InvalidClientIdentifierError):
        parse_group_id("LA/ministries")


def test_error_types_carry_the_side_that_raised_them() -> None:
    from exchange.xroad.errors import AccessDeniedError, RemoteXRoadError

    assert AccessDeniedError().xroad_type(Origin.SERVER_PROXY) == "Server.ServerProxy.AccessDenied"
    assert InvalidClientIdentifierError().xroad_type(Origin.SERVER_PROXY) == (
        "Client.InvalidClientIdentifier"
    )
    remote = RemoteXRoadError("Server.ServerProxy.AccessDenied", "no", status=403)
    assert remote.xroad_type(Origin.CLIENT_PROXY) == "Server.ServerProxy.AccessDenied"
