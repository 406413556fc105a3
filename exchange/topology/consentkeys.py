"""The consent service's signing key from the state dir, shared by the consent API (which signs
artefacts) and every provider gateway (which verifies them before deciding)."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec

from exchange.consent.signing import LocalConsentKeys
from keys.custody import FileKeyCustody
from keys.files import make_private_dir
from onedoor.config import Settings
from onedoor.errors import ConfigurationError

KEY_NAME = "consent-signing"


def consent_keys_folder(settings: Settings) -> Path:
    return settings.state_dir / "consent"


def load_consent_keys(settings: Settings) -> LocalConsentKeys:
    """``state_dir/consent/consent-signing.key.pem`` (encrypted PKCS#8, 0600); created on first
    use in development, required in production."""
    folder = consent_keys_folder(settings)
    development = settings.environment == "development"
    custody = FileKeyCustody(folder, settings.resolve_key_passphrase(create=development))
    if not custody.has_key(KEY_NAME):
        if not development:
            raise ConfigurationError(f"the consent signing key is missing in {folder}")
        make_private_dir(folder)
        custody.generate_key(KEY_NAME, ec.SECP256R1())
    return LocalConsentKeys(custody.private_key(KEY_NAME))
