"""The identity provider and the portal in one server, as the demo runs them, plus seed data.

``create_app`` is a uvicorn factory (``tests.portal.journey:create_app``); the test process
seeds citizens straight into the same database with the idp's own service functions.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI
from sqlalchemy.orm import Session

from exchange.central.models import CentralMember
from exchange.consent.basis import set_service_policy
from exchange.consent.purposes import add_purpose
from exchange.consent.signing import LocalConsentKeys
from idp.accounts.rights import AccountKind
from idp.accounts.service import create_centre, create_staff_account
from idp.app import create_app as create_idp_app
from idp.mfa.keys import load_mfa_keys
from idp.mfa.service import confirm_totp, enrol_totp, generate_recovery_codes
from idp.proofing.assurance import EvidenceType
from idp.proofing.matching import ClaimedIdentity
from idp.proofing.registry import InMemoryCivilRegistry
from idp.proofing.service import create_citizen_account
from onedoor.config import Settings
from onedoor.db import open_database, transaction
from onedoor.runtime import Runtime, create_runtime
from portal.app import create_app as create_portal_app
from schemas.identifiers import PersonId
from tests.idp.accounts.support import CHEAP_HASHER, SOMCHAI

PASSWORD = "river boat at dawn"
CONSENT_KEY_FILE = "test-consent-key.pem"
CONSUMER = "LA/GOV/MOES"
ITEMS = ("civil.person.name", "civil.person.birth_date")
_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')


def consent_keys(state_dir: Path) -> LocalConsentKeys:
    """A consent signing key shared by the test process and the server (test only)."""
    path = state_dir / CONSENT_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        path.write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ))
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    return LocalConsentKeys(private)


def build_app(runtime: Runtime) -> FastAPI:
    root = FastAPI()
    root.mount("/idp", create_idp_app(runtime), name="idp")
    root.mount(
        "/portal",
        create_portal_app(runtime, consent_keys=consent_keys(runtime.settings.state_dir)),
        name="portal",
    )
    return root


def create_app() -> FastAPI:
    settings = Settings()
    return build_app(create_runtime(settings, engine=open_database(settings.database_url)))


def seed_catalogue(session: Session) -> None:
    """One consumer, one purpose and a service that asks for consent."""
    now = datetime.now(UTC)
    add_purpose(session, code="school-enrolment", description_lo="ການເຂົ້າໂຮງຮຽນ",
                description_en="School enrolment")
    set_service_policy(session, service="LA/GOV/MOHA/civil/person-details/v1", mode="consent",
                       data_items=list(ITEMS))
    session.add(CentralMember(
        member_id=CONSUMER, name="Ministry of Education and Sports",
        gateway_url="https://moes.example.la", tls_certificate="-", signing_certificate="-",
        encryption_key="-", created_at=now,
    ))


@dataclass(frozen=True)
class Citizen:
    login: str
    password: str
    person_id: str
    totp: pyotp.TOTP | None
    recovery_codes: list[str]


def new_citizen(runtime: Runtime, *, with_totp: bool = True) -> Citizen:
    """A citizen proofed at a centre, with recovery codes and (optionally) an app enrolled.

    The app is confirmed with the previous step's code, so the current code still logs in.
    """
    now = datetime.now(UTC)
    suffix = uuid.uuid4().hex[:8]
    keys = load_mfa_keys(runtime.settings, create=True)
    person = replace(
        SOMCHAI, person_id=PersonId.issue(province=1, serial=int(suffix, 16) % 10**9).value
    )
    with transaction(runtime.sessions) as session:
        create_centre(session, code=f"C-{suffix}", name_lo="ສູນ", name_en="Centre",
                      province="VTE", now=now)
        officer = create_staff_account(
            session, kind=AccountKind.OFFICER, login=f"officer-{suffix}",
            display_name="Officer", password=PASSWORD + " officer", now=now,
            centre_code=f"C-{suffix}", hasher=CHEAP_HASHER,
        )
        account = create_citizen_account(
            session, registry=InMemoryCivilRegistry([person]), officer_id=officer.id,
            claim=ClaimedIdentity(
                person_id=person.person_id, date_of_birth=person.date_of_birth,
                given_name_latin=person.given_name_latin,
                family_name_latin=person.family_name_latin,
            ),
            evidence=[EvidenceType.NATIONAL_ID_CARD], password=PASSWORD, now=now,
            login=f"citizen-{suffix}", hasher=CHEAP_HASHER,
        )
        codes = generate_recovery_codes(session, account_id=account.id, keys=keys, now=now)
        totp = None
        if with_totp:
            enrolment = enrol_totp(session, account_id=account.id, keys=keys, now=now)
            totp = pyotp.TOTP(enrolment.secret)
            confirm_totp(
                session, account_id=account.id, authenticator_id=enrolment.authenticator_id,
                code=totp.at(now - timedelta(seconds=30)), keys=keys, now=now,
            )
    return Citizen(account.login, PASSWORD, person.person_id, totp, codes)


def hidden_fields(html: str) -> dict[str, str]:
    return dict(_HIDDEN.findall(html))
