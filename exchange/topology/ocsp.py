"""The PKI's own OCSP responders without HTTP, for gateways running in the PKI's process."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from exchange.gateway.errors import CertificateStatusUnavailableError
from exchange.messages.clock import Clock, utc_now
from keys.errors import KeysError
from keys.ocsp.responder import respond
from keys.pki import Pki
from onedoor.db import transaction


@dataclass(frozen=True)
class LocalOcspTransport:
    """Answers for the responder URLs of ``pki`` (``{pki}/ocsp/{ca}``) in process."""

    sessions: sessionmaker[Session]
    pki: Pki
    clock: Clock = utc_now

    def fetch(self, url: str, request: bytes) -> bytes:
        ca = url.rstrip("/").rsplit("/", 1)[-1]
        if url != self.pki.urls.ocsp(ca):
            raise CertificateStatusUnavailableError(f"{url} is not an OCSP responder of this PKI")
        try:
            with transaction(self.sessions) as session:
                return respond(
                    session=session, pki=self.pki, ca=ca, request_der=request, clock=self.clock
                )
        except KeysError as exc:
            raise CertificateStatusUnavailableError(f"no OCSP responder for {ca}") from exc
        except SQLAlchemyError as exc:
            raise CertificateStatusUnavailableError("OCSP register unavailable") from exc
