"""Certificate revocation lists, signed fresh by the issuing CA (RFC 5280 section 5)."""

from __future__ import annotations

from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy.orm import Session

from keys.certificates import Clock, signature_hash, utc_now
from keys.pki import Pki
from keys.registry import as_utc, revoked_certificates

# Short, so a revocation reaches relying parties that cache the list within the hour.
CRL_VALIDITY = timedelta(hours=1)


def current_crl(
    *, session: Session, pki: Pki, ca: str, clock: Clock = utc_now
) -> x509.CertificateRevocationList:
    """A complete CRL of ``ca`` listing every certificate revoked in the register."""
    certificate = pki.ca_certificate(ca)
    key = pki.ca_key(ca)
    moment = clock()
    now = moment.replace(microsecond=0)
    ski = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(certificate.subject)
        .last_update(now)
        .next_update(now + CRL_VALIDITY)
        # Section 5.2.1 and 5.2.3: both required; milliseconds keep the number increasing.
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), False)
        .add_extension(x509.CRLNumber(int(moment.timestamp() * 1000)), False)
    )
    for record in revoked_certificates(session=session, issuer=ca):
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(int(record.serial, 16))
            .revocation_date(as_utc(record.revoked_at or now))
        )
        reason = x509.ReasonFlags(record.reason or x509.ReasonFlags.unspecified.value)
        if reason is not x509.ReasonFlags.unspecified:  # section 5.3.1: omit "unspecified"
            entry = entry.add_extension(x509.CRLReason(reason), critical=False)
        builder = builder.add_revoked_certificate(entry.build())
    return builder.sign(key, signature_hash(key))


def current_crl_der(*, session: Session, pki: Pki, ca: str, clock: Clock = utc_now) -> bytes:
    """The CRL as served at the CRL distribution point (DER, RFC 5280 section 4.2.1.13)."""
    crl = current_crl(session=session, pki=pki, ca=ca, clock=clock)
    return crl.public_bytes(serialization.Encoding.DER)
