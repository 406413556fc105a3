"""Parse and check a TimeStampReq before anything is signed (RFC 3161 section 2.4.1)."""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import tsp

from keys.tsa.errors import TimestampRejectedQueryError
from keys.tsa.policy import DIGEST_SIZES, MAX_NONCE_BITS, MAX_QUERY_BYTES, TSA_POLICY_OID


@dataclass(frozen=True)
class TimestampQuery:
    """What a client asked to be timestamped, checked against the TSA policy."""

    hash_algorithm: str
    message_digest: bytes
    nonce: int | None
    cert_req: bool


def _reject(fail_info: str, message: str) -> TimestampRejectedQueryError:
    return TimestampRejectedQueryError(fail_info, message)


def parse_query(der: bytes) -> TimestampQuery:
    """A checked query; raises TimestampRejectedQueryError naming the PKIFailureInfo bit."""
    if not der or len(der) > MAX_QUERY_BYTES:
        raise _reject("bad_data_format", "empty or oversized TimeStampReq")
    try:
        request = tsp.TimeStampReq.load(der, strict=True)
        version = request["version"].native
        imprint = request["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        parameters = imprint["hash_algorithm"]["parameters"].native
        digest = imprint["hashed_message"].native
        policy = request["req_policy"].dotted if request["req_policy"].native else None
        nonce = request["nonce"].native
        cert_req = bool(request["cert_req"].native)
        extensions = request["extensions"].native
    except (ValueError, TypeError, KeyError) as exc:
        raise _reject("bad_data_format", "not a DER TimeStampReq") from exc
    if version != "v1":
        raise _reject("bad_request", "only TimeStampReq version 1 is supported")
    if not isinstance(algorithm, str) or algorithm not in DIGEST_SIZES or parameters is not None:
        raise _reject("bad_alg", "messageImprint must use SHA-256, SHA-384 or SHA-512")
    if not isinstance(digest, bytes) or len(digest) != DIGEST_SIZES[algorithm]:
        raise _reject("bad_data_format", "messageImprint length does not match its algorithm")
    if policy is not None and policy != TSA_POLICY_OID:
        raise _reject("unaccepted_policy", "this TSA only issues under its own policy")
    if extensions:
        raise _reject("unaccepted_extensions", "this TSA accepts no request extensions")
    if nonce is not None and (not isinstance(nonce, int) or nonce.bit_length() > MAX_NONCE_BITS):
        raise _reject("bad_request", "nonce is too large")
    return TimestampQuery(
        hash_algorithm=algorithm,
        message_digest=digest,
        nonce=nonce if isinstance(nonce, int) else None,
        cert_req=cert_req,
    )
