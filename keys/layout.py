"""The shape of OneDoor's PKI: its named entities, where their files live, their public URLs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec

from onedoor.config import Settings

ROOT_CA = "root-ca"
ORGANISATION_CA = "organisation-ca"
CITIZEN_CA = "citizen-ca"
SERVICES_CA = "services-ca"
ISSUING_CAS = (ORGANISATION_CA, CITIZEN_CA, SERVICES_CA)
CERTIFICATE_AUTHORITIES = (ROOT_CA, *ISSUING_CAS)
TIMESTAMP_AUTHORITY = "timestamp-authority"


def ocsp_responder_name(ca: str) -> str:
    """The delegated OCSP responder of an issuing CA (RFC 6960 section 4.2.2.2)."""
    return f"{ca}-ocsp"


@dataclass(frozen=True)
class EntitySpec:
    """One certificate-and-key pair created by ``onedoor keys init``."""

    name: str
    issuer: str
    common_name: str
    profile: str
    curve: ec.EllipticCurve

    @property
    def is_root(self) -> bool:
        return self.name == self.issuer


def _specs() -> tuple[EntitySpec, ...]:
    specs = [EntitySpec(ROOT_CA, ROOT_CA, "OneDoor Root CA", "root_ca", ec.SECP384R1())]
    titles = {ORGANISATION_CA: "Organisation", CITIZEN_CA: "Citizen", SERVICES_CA: "Services"}
    specs += [
        EntitySpec(ca, ROOT_CA, f"OneDoor {titles[ca]} CA", "issuing_ca", ec.SECP384R1())
        for ca in ISSUING_CAS
    ]
    specs.append(
        EntitySpec(
            TIMESTAMP_AUTHORITY,
            SERVICES_CA,
            "OneDoor Timestamp Authority",
            "timestamping",
            ec.SECP256R1(),
        )
    )
    specs += [
        EntitySpec(
            ocsp_responder_name(ca),
            ca,
            f"OneDoor {titles[ca]} CA OCSP Responder",
            "ocsp_responder",
            ec.SECP256R1(),
        )
        for ca in ISSUING_CAS
    ]
    return tuple(specs)


# In issuance order: every issuer comes before what it issues.
ENTITIES: tuple[EntitySpec, ...] = _specs()
ENTITY_BY_NAME = {spec.name: spec for spec in ENTITIES}


def certificate_path(directory: Path, name: str) -> Path:
    return directory / f"{name}.cert.pem"


def key_path(directory: Path, name: str) -> Path:
    return directory / f"{name}.key.pem"


@dataclass(frozen=True)
class PkiUrls:
    """Where relying parties fetch CA certificates, CRLs and OCSP answers (RFC 5280 4.2.2.1)."""

    base: str

    @classmethod
    def from_settings(cls, settings: Settings) -> PkiUrls:
        return cls(settings.url_for("pki"))

    def ca_issuers(self, ca: str) -> str:
        return f"{self.base}/ca/{ca}.cer"

    def crl(self, ca: str) -> str:
        return f"{self.base}/crl/{ca}.crl"

    def ocsp(self, ca: str) -> str:
        return f"{self.base}/ocsp/{ca}"
