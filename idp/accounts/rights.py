"""Account kinds and what each may do; staff rights are checked here and nowhere else."""

from __future__ import annotations

from enum import StrEnum

from idp.accounts.errors import NotPermittedError
from idp.accounts.models import Account


class AccountKind(StrEnum):
    CITIZEN = "citizen"
    OFFICER = "officer"  # works at one centre; proofs identities, registers tokens
    DATA_PROTECTION_OFFICER = "data_protection_officer"  # searches and exports access logs
    OPERATOR = "operator"  # runs the central services


class Right(StrEnum):
    PROOF_IDENTITY = "proof_identity"
    REGISTER_HARDWARE_TOKEN = "register_hardware_token"
    ISSUE_RECOVERY_CODES = "issue_recovery_codes"
    RESET_LOCKOUT = "reset_lockout"
    SEARCH_ACCESS_LOG = "search_access_log"
    MANAGE_CENTRES = "manage_centres"
    USE_OWN_DATA = "use_own_data"


RIGHTS: dict[AccountKind, frozenset[Right]] = {
    AccountKind.CITIZEN: frozenset({Right.USE_OWN_DATA}),
    AccountKind.OFFICER: frozenset(
        {
            Right.PROOF_IDENTITY,
            Right.REGISTER_HARDWARE_TOKEN,
            Right.ISSUE_RECOVERY_CODES,
            Right.RESET_LOCKOUT,
        }
    ),
    AccountKind.DATA_PROTECTION_OFFICER: frozenset({Right.SEARCH_ACCESS_LOG}),
    AccountKind.OPERATOR: frozenset({Right.MANAGE_CENTRES, Right.RESET_LOCKOUT}),
}

# Kinds whose accounts must log in with WebAuthn (phishing-resistant) as second factor.
WEBAUTHN_REQUIRED = frozenset({AccountKind.OFFICER, AccountKind.OPERATOR})


def has_right(account: Account, right: Right) -> bool:
    if not account.active:
        return False
    if account.kind == AccountKind.OFFICER and account.centre_id is None:
        return False
    return right in RIGHTS.get(AccountKind(account.kind), frozenset())


def require_right(account: Account, right: Right) -> None:
    """Raise NotPermittedError unless ``account`` is active and its kind grants ``right``."""
    if not has_right(account, right):
        raise NotPermittedError(f"this account may not {right.value.replace('_', ' ')}")
