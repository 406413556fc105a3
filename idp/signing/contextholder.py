"""Build the signing context on first use (the PKI may be initialised after the app starts)."""

from __future__ import annotations

import threading

from idp.mfa.keys import load_mfa_keys
from idp.signing.context import SigningContext
from idp.signing.custody import load_sealed_custody
from keys.pki import load_pki
from onedoor.config import Settings


class SigningContextHolder:
    """Holds the SigningContext; retries loading until the PKI and secrets are there."""

    def __init__(self, settings: Settings, *, context: SigningContext | None = None) -> None:
        self._settings = settings
        self._context = context
        self._lock = threading.Lock()

    def get(self) -> SigningContext:
        with self._lock:
            if self._context is None:
                self._context = SigningContext(
                    pki=load_pki(self._settings),
                    custody=load_sealed_custody(self._settings, create=True),
                    mfa_keys=load_mfa_keys(self._settings, create=True),
                )
            return self._context
