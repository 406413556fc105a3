"""OCSP fixtures: the live pki server and a member certificate issued in its register."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from keys.issuance import issue_member_certificates
from onedoor.config import Settings
from onedoor.db import transaction
from tests.keys.ocsp.live import LivePki, live_pki


@pytest.fixture(scope="module")
def live(shared_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LivePki]:
    with live_pki(shared_settings, tmp_path_factory.mktemp("ocsp-live")) as server:
        yield server


def issue_member(live: LivePki, member_id: str) -> x509.Certificate:
    """A member TLS certificate recorded (committed) in the live server's register."""
    with transaction(live.runtime.sessions) as session:
        issued = issue_member_certificates(
            session=session,
            pki=live.pki,
            member_id=member_id,
            member_name="Test Ministry",
            tls_public_key=ec.generate_private_key(ec.SECP256R1()).public_key(),
            signing_public_key=ec.generate_private_key(ec.SECP256R1()).public_key(),
            hosts=["gw.test.gov.la"],
        )
    return issued.tls
