"""The TSA's policy: its OID, the digests it timestamps and the accuracy it claims.

OneDoor has no registered enterprise number, so its object identifiers live under a UUID arc
(ITU-T X.667 | ISO/IEC 9834-8, ``2.25.<UUID as an integer>``), which needs no registration and
cannot collide: UUID 3df4e0eb-cec4-4828-b151-e9810179544a.

    <arc>.1      PKI policies
    <arc>.1.1    TSA policy v1: this time-stamping service (RFC 3161 section 2.4.2, policy)
"""

from __future__ import annotations

from types import MappingProxyType

ONEDOOR_OID_ARC = "2.25.82354390118722977259663301845043467338"
TSA_POLICY_OID = f"{ONEDOOR_OID_ARC}.1.1"

# messageImprint algorithms accepted (RFC 3161 section 2.4.1; SHA-1 is refused as too weak),
# asn1crypto name -> digest length in octets.
DIGEST_SIZES = MappingProxyType({"sha256": 32, "sha384": 48, "sha512": 64})

# The host clock is kept to UTC by NTP; one second is a safe bound (RFC 3161 section 2.4.2).
ACCURACY_SECONDS = 1
# A nonce is an INTEGER; longer ones than this are refused as abuse (RFC 3161 section 2.4.1).
MAX_NONCE_BITS = 512
# Queries are about a hundred bytes; anything far larger is not a TimeStampReq.
MAX_QUERY_BYTES = 16 * 1024
