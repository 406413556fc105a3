"""SAD expiry on both engines, with an injected clock (no waiting)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy.orm import Session

from idp.accounts.levels import AssuranceLevel
from idp.accounts.rights import AccountKind
from idp.accounts.service import new_account
from idp.mfa.keys import MfaKeys
from idp.mfa.service import confirm_totp, enrol_totp
from idp.signing.activation import authorize
from idp.signing.algorithms import ECDSA_SHA256_OID, SHA256_OID, encode_hash
from idp.signing.context import SigningContext
from idp.signing.credentials import enrol_credential
from idp.signing.custody import SealedKeyCustody
from idp.signing.errors import InvalidSadError
from idp.signing.service import sign_hashes
from keys.bootstrap import ensure_pki
from keys.pki import Pki, load_pki
from onedoor.config import Settings
from tests.idp.accounts.support import CHEAP_HASHER, NOW

KEYS = MfaKeys.generate()


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    settings = Settings(state_dir=tmp_path_factory.mktemp("pki") / "var", key_passphrase="p")
    ensure_pki(settings)
    return load_pki(settings)


def test_sad_expires_after_five_minutes(db_session: Session, pki: Pki) -> None:
    clock = [NOW]
    context = SigningContext(pki=pki, custody=SealedKeyCustody(bytes(32)), mfa_keys=KEYS,
                             clock=lambda: clock[0])
    account = new_account(db_session, kind=AccountKind.CITIZEN, login="signer.one",
                          display_name="ສົມໃຈ ພົມມະວົງ", password="river boat at dawn",
                          assurance_level=AssuranceLevel.HIGH, now=NOW,
                          person_id="LA0101198500999", hasher=CHEAP_HASHER)
    enrolment = enrol_totp(db_session, account_id=account.id, keys=KEYS, now=NOW)
    totp = pyotp.TOTP(enrolment.secret)
    confirm_totp(db_session, account_id=account.id, authenticator_id=enrolment.authenticator_id,
                 code=totp.at(NOW - timedelta(seconds=30)), keys=KEYS, now=NOW)
    credential = enrol_credential(db_session, context=context, account_id=account.id)
    digest = bytes(range(32))
    granted = authorize(
        db_session, context=context, account_id=account.id, credential_id=credential.id,
        num_signatures=1, hashes=[encode_hash(digest)], hash_algorithm_oid=SHA256_OID,
        otp=totp.at(NOW), source="192.0.2.1",
    )
    clock[0] = NOW + timedelta(minutes=5)
    with pytest.raises(InvalidSadError):
        sign_hashes(db_session, context=replace(context), account_id=account.id,
                    credential_id=credential.id, sad=granted.sad, hashes=[encode_hash(digest)],
                    hash_algorithm_oid=SHA256_OID, sign_algo=ECDSA_SHA256_OID)
    clock[0] = NOW + timedelta(minutes=4, seconds=59)
    signatures = sign_hashes(
        db_session, context=context, account_id=account.id, credential_id=credential.id,
        sad=granted.sad, hashes=[encode_hash(digest)], hash_algorithm_oid=SHA256_OID,
        sign_algo=ECDSA_SHA256_OID,
    )
    assert len(signatures) == 1
