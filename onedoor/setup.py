"""First-run preparation of the state directory: passphrase, PKI, database, synthetic data."""

from __future__ import annotations

import os

from keys.bootstrap import ensure_pki
from keys.pki import load_pki
from keys.registry import record_pki_certificates
from onedoor.db import transaction
from onedoor.errors import ConfigurationError
from onedoor.migrate import upgrade
from onedoor.runtime import Runtime


def ensure_state_dir(runtime: Runtime) -> None:
    state = runtime.settings.state_dir
    try:
        state.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ConfigurationError(f"cannot create state directory {state}: {exc.strerror}") from exc
    if not os.access(state, os.W_OK):
        raise ConfigurationError(f"state directory {state} is not writable")


def prepare_state(runtime: Runtime) -> list[str]:
    """Idempotently create what the demo needs; returns lines to show the operator."""
    settings = runtime.settings
    ensure_state_dir(runtime)
    settings.resolve_key_passphrase(create=True)
    lines = [f"state directory: {settings.state_dir.resolve()}"]
    lines += ensure_pki(settings)
    upgrade(runtime.engine)
    with transaction(runtime.sessions) as session:
        record_pki_certificates(session=session, pki=load_pki(settings))
    return lines
