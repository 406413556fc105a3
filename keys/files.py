"""Files of the PKI directory: atomic writes with private modes, and careful reads."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography import x509

from keys.errors import PkiFileUnreadableError

DIR_MODE = 0o700
KEY_FILE_MODE = 0o600
CERT_FILE_MODE = 0o644


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) with mode 0700 unless it exists."""
    if path.is_dir():
        return
    try:
        path.mkdir(parents=True, mode=DIR_MODE)
    except FileExistsError:
        raise PkiFileUnreadableError(f"{path} exists and is not a directory") from None
    except OSError as exc:
        raise PkiFileUnreadableError(f"cannot create {path}: {exc.strerror or exc}") from exc
    os.chmod(path, DIR_MODE)  # mkdir's mode is filtered by the umask


def write_atomically(path: Path, data: bytes, *, mode: int) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it, then rename over."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)  # O_CREAT's mode is filtered by the umask
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_bytes(path: Path, *, what: str) -> bytes:
    """The content of ``path``; any failure is a PkiFileUnreadableError naming ``what``."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PkiFileUnreadableError(f"{what} {path} does not exist") from None
    except OSError as exc:
        raise PkiFileUnreadableError(f"cannot read {what} {path}: {exc.strerror or exc}") from exc


def read_certificate(path: Path) -> x509.Certificate:
    """One PEM certificate from ``path``."""
    data = read_bytes(path, what="certificate")
    try:
        return x509.load_pem_x509_certificate(data)
    except ValueError:
        raise PkiFileUnreadableError(
            f"certificate {path} is corrupt (not a PEM certificate)"
        ) from None
