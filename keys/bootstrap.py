"""``onedoor keys init``: create the CA hierarchy once; later runs verify and change nothing."""

from __future__ import annotations

import os
import secrets
import shutil
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from keys.certificates import Clock, SerialSource, build_certificate, onedoor_name, utc_now
from keys.custody import FileKeyCustody
from keys.errors import PkiFileUnreadableError
from keys.files import CERT_FILE_MODE, fsync_dir, make_private_dir, write_atomically
from keys.layout import ENTITIES, EntitySpec, PkiUrls, certificate_path
from keys.pki import fingerprint, present_entities, verify_entities
from keys.profiles import PROFILES
from onedoor.config import Settings


def ensure_pki(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    serial_numbers: SerialSource = x509.random_serial_number,
) -> list[str]:
    """Create whatever part of the PKI is missing, after checking what exists; summary lines.

    Nothing existing is ever rewritten. A fresh PKI is built in a temporary folder and renamed
    into place, so a crash leaves either no PKI or a complete one.
    """
    directory = settings.keys_dir
    make_private_dir(settings.state_dir)
    present = present_entities(directory)
    custody = FileKeyCustody(directory, settings.resolve_key_passphrase(create=True))
    certificates = verify_entities(directory, custody, present)
    missing = [spec for spec in ENTITIES if spec.name not in certificates]
    urls, now = PkiUrls.from_settings(settings), clock()
    if missing and not _has_entries(directory):
        _create_fresh(directory, custody, missing, urls=urls, now=now, serials=serial_numbers)
        certificates = verify_entities(directory, custody, [spec.name for spec in ENTITIES])
    else:
        for spec in missing:
            certificates[spec.name] = _create(
                spec, directory, custody, certificates, urls=urls, now=now, serials=serial_numbers
            )
    state = f"created {len(missing)} certificates" if missing else "unchanged"
    return [
        f"PKI: {directory.resolve()} ({state})",
        f"root CA SHA-256 fingerprint: {fingerprint(certificates[ENTITIES[0].name])}",
    ]


def _has_entries(directory: Path) -> bool:
    return directory.exists() and any(directory.iterdir())


def _create_fresh(
    directory: Path,
    custody: FileKeyCustody,
    specs: list[EntitySpec],
    *,
    urls: PkiUrls,
    now: datetime,
    serials: SerialSource,
) -> None:
    staging = directory.with_name(f".{directory.name}.{secrets.token_hex(6)}.tmp")
    make_private_dir(staging)
    try:
        staged = custody.relocated(staging)
        certificates: dict[str, x509.Certificate] = {}
        for spec in specs:
            certificates[spec.name] = _create(
                spec, staging, staged, certificates, urls=urls, now=now, serials=serials
            )
        try:
            # rename(2) replaces an empty directory atomically and refuses a non-empty one.
            os.rename(staging, directory)
        except OSError as exc:
            raise PkiFileUnreadableError(
                f"cannot move the new PKI into {directory}: {exc.strerror or exc}"
            ) from exc
        fsync_dir(directory.parent)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _create(
    spec: EntitySpec,
    directory: Path,
    custody: FileKeyCustody,
    certificates: dict[str, x509.Certificate],
    *,
    urls: PkiUrls,
    now: datetime,
    serials: SerialSource,
) -> x509.Certificate:
    public_key = custody.generate_key(spec.name, spec.curve)
    certificate = build_certificate(
        profile=PROFILES[spec.profile],
        subject=onedoor_name(spec.common_name),
        public_key=public_key,
        issuer=None if spec.is_root else certificates[spec.issuer],
        issuer_key=custody.private_key(spec.issuer),
        issuer_ca=spec.issuer,
        urls=urls,
        now=now,
        serial_number=serials(),
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    write_atomically(certificate_path(directory, spec.name), pem, mode=CERT_FILE_MODE)
    return certificate
