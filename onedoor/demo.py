"""The embedded demo: synthetic data and accounts on first run, and the background services
(member gateways over mutual TLS, a life-event worker) that run beside the web app.

Credentials created for the demo are kept in ``var/demo-credentials.json`` (0600) so every
start can show them again; they exist only in development.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
from fastapi import FastAPI

from exchange.events.worker import Worker
from exchange.topology import start_demo_exchange
from exchange.transparency.keys import load_or_create_log_keys
from exchange.transparency.recorder import TransparencyRecorder
from idp.accounts.errors import UnknownCentreError
from idp.accounts.rights import AccountKind
from idp.accounts.service import (
    create_centre,
    create_staff_account,
    find_account_by_login,
    generate_initial_password,
    get_centre,
)
from idp.mfa.keys import load_mfa_keys
from idp.mfa.service import confirm_totp, enrol_totp
from idp.proofing.assurance import EvidenceType
from idp.proofing.civil_registry import LocalCivilRegistry
from idp.proofing.matching import ClaimedIdentity
from idp.proofing.service import create_citizen_account
from idp.signing.render import sample_application
from onedoor.db import transaction
from onedoor.errors import NotFoundError
from onedoor.runtime import Runtime
from portal.citizen.documents import request_signature
from portal.oidc.registration import ensure_portal_client
from registries.reactions.consumer import InProcessTransport
from registries.reactions.subscribe import subscribe_ministries
from registries.seed.service import sample_person_ids, seed_if_empty

CENTRE = "VTE-01"
CITIZEN_LOGIN = "citizen.demo"
OFFICER_LOGIN = "officer.demo"
CREDENTIALS_FILE = "demo-credentials.json"


def prepare_demo_data(runtime: Runtime, *, persons: int) -> list[str]:
    """Seed registries, subscribe ministries, register the portal, create demo accounts."""
    lines = [seed_if_empty(runtime, persons=persons)]
    with transaction(runtime.sessions) as session:
        made = subscribe_ministries(session, now=datetime.now(UTC))
    if made:
        lines.append(f"life events: {len(made)} ministry subscriptions on legal bases")
    lines += ensure_portal_client(runtime)
    credentials = _ensure_accounts(runtime)
    lines.append(
        f"citizen login: {credentials['citizen_login']} / {credentials['citizen_password']}"
    )
    lines.append(
        f"citizen TOTP secret: {credentials['totp_secret']} (any authenticator app, or "
        f"'oathtool --totp -b {credentials['totp_secret']}')"
    )
    lines.append(
        f"officer login: {credentials['officer_login']} / {credentials['officer_password']} "
        "(officers sign in with a security key)"
    )
    return lines


def _ensure_accounts(runtime: Runtime) -> dict[str, str]:
    path: Path = runtime.settings.state_dir / CREDENTIALS_FILE
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text())
        return stored
    now = datetime.now(UTC)
    keys = load_mfa_keys(runtime.settings, create=True)
    person_id = sample_person_ids(runtime, count=1)[0]
    facts = LocalCivilRegistry(runtime.sessions).find_person(person_id)
    if facts is None:
        raise NotFoundError("the seeded civil registry has no adult to make a demo citizen of")
    officer_password = generate_initial_password()
    citizen_password = generate_initial_password()
    with transaction(runtime.sessions) as session:
        try:
            get_centre(session, code=CENTRE)
        except UnknownCentreError:
            create_centre(
                session, code=CENTRE, name_lo="ສູນບໍລິການປະຕູດຽວ ນະຄອນຫຼວງວຽງຈັນ",
                name_en="Vientiane Capital one-door service centre", province="01", now=now,
            )
        officer = find_account_by_login(session, login=OFFICER_LOGIN) or create_staff_account(
            session, kind=AccountKind.OFFICER, login=OFFICER_LOGIN,
            display_name="Demo officer", password=officer_password, now=now,
            centre_code=CENTRE, password_must_change=False,
        )
        citizen = create_citizen_account(
            session, registry=LocalCivilRegistry(runtime.sessions), officer_id=officer.id,
            claim=ClaimedIdentity(
                person_id=facts.person_id, date_of_birth=facts.date_of_birth,
                given_name_lo=facts.given_name_lo, family_name_lo=facts.family_name_lo,
            ),
            evidence=[EvidenceType.NATIONAL_ID_CARD], password=citizen_password, now=now,
            login=CITIZEN_LOGIN,
        )
        enrolment = enrol_totp(session, account_id=citizen.id, keys=keys, now=now)
        earlier = pyotp.TOTP(enrolment.secret).at(now - timedelta(seconds=30))
        confirm_totp(
            session, account_id=citizen.id, authenticator_id=enrolment.authenticator_id,
            code=earlier, keys=keys, now=now,
        )
        # An application waiting in the citizen's portal for a signature (PAdES B-LT).
        request_signature(
            session, person_id=facts.person_id, now=int(now.timestamp()),
            application=sample_application(
                now, name=f"{facts.given_name_lo} {facts.family_name_lo}",
                person_id=facts.person_id,
            ),
        )
    credentials = {
        "citizen_login": CITIZEN_LOGIN, "citizen_password": citizen_password,
        "totp_secret": enrolment.secret, "officer_login": OFFICER_LOGIN,
        "officer_password": officer_password, "centre": CENTRE,
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(credentials, handle, indent=2)
    return credentials


@dataclass
class DemoServices:
    """What runs beside the web app: each member's gateway app, keyed for mounting."""

    gateway_apps: dict[str, FastAPI]


@contextmanager
def demo_services(runtime: Runtime, *, peer_base_port: int) -> Iterator[DemoServices]:
    """Start member gateways (real mTLS listeners) and a life-event worker; stop them after."""
    recorder = TransparencyRecorder(load_or_create_log_keys(runtime.settings).pseudonymizer)
    stop = threading.Event()
    worker = Worker(sessions=runtime.sessions, transport=InProcessTransport(runtime.sessions))
    thread = threading.Thread(target=worker.run, args=(stop,), name="events-worker", daemon=True)
    with start_demo_exchange(runtime, base_port=peer_base_port, recorder=recorder) as exchange:
        thread.start()
        try:
            yield DemoServices(gateway_apps=dict(exchange.client_apps))
        finally:
            stop.set()
            thread.join(timeout=10)
