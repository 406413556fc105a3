"""The time-stamp authority: a TimeStampResp for every query, never an exception (RFC 3161 2.4.2).

Failures a client caused are rejections naming the PKIFailureInfo bit (badAlg, badDataFormat,
unacceptedPolicy...); a database failure is a rejection with systemFailure.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from asn1crypto import cms, core, tsp
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from keys.certificates import Clock, utc_now
from keys.layout import TIMESTAMP_AUTHORITY
from keys.pki import Pki
from keys.tsa.errors import TimestampRejectedQueryError
from keys.tsa.query import parse_query
from keys.tsa.serials import allocate_serial
from keys.tsa.token import TsaSigner, signed_token, tst_info

log = logging.getLogger("onedoor.keys.tsa")


# asn1crypto is untyped, so its classes are Any to mypy; this is the one subclass we need.
class TimeStampReply(core.Sequence):  # type: ignore[misc]
    """TimeStampResp with timeStampToken OPTIONAL, as RFC 3161 section 2.4.2 declares it."""

    # asn1crypto rewrites this list in place when the class is first used.
    _fields: ClassVar[list[tuple[object, ...]]] = [
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


def rejection(fail_info: str, message: str) -> bytes:
    """A TimeStampResp with status rejection, ``fail_info`` set and a statusString."""
    reply = TimeStampReply(
        {
            "status": {
                "status": "rejection",
                "status_string": [message],
                "fail_info": tsp.PKIFailureInfo({fail_info}),
            }
        }
    )
    der: bytes = reply.dump()
    return der


def respond(*, session: Session, pki: Pki, query_der: bytes, clock: Clock = utc_now) -> bytes:
    """A DER TimeStampResp for ``query_der``; the caller commits ``session`` before sending it.

    The serial number is allocated in ``session``; see :func:`respond_committed`.
    """
    try:
        query = parse_query(query_der)
    except TimestampRejectedQueryError as exc:
        return rejection(exc.fail_info, exc.message)
    gen_time = clock()
    try:
        serial_number = allocate_serial(session=session, query=query, gen_time=gen_time)
    except SQLAlchemyError as exc:
        log.error("TSA serial allocation failed", extra={"error_code": type(exc).__name__})
        return rejection("system_failure", "the time-stamp authority cannot issue tokens now")
    signer = TsaSigner(pki.timestamp_authority, pki.custody.private_key(TIMESTAMP_AUTHORITY))
    info = tst_info(
        query=query,
        serial_number=serial_number,
        gen_time=gen_time,
        tsa=signer.certificate.subject,
    )
    token = signed_token(info=info, signer=signer, include_certificate=query.cert_req)
    reply = TimeStampReply({"status": {"status": "granted"}, "time_stamp_token": token})
    der: bytes = reply.dump()
    return der


def respond_committed(
    *, sessions: sessionmaker[Session], pki: Pki, query_der: bytes, clock: Clock = utc_now
) -> bytes:
    """:func:`respond` in its own transaction, committed before the reply is returned."""
    try:
        with sessions() as session, session.begin():
            return respond(session=session, pki=pki, query_der=query_der, clock=clock)
    except SQLAlchemyError as exc:
        log.error("TSA serial commit failed", extra={"error_code": type(exc).__name__})
        return rejection("system_failure", "the time-stamp authority cannot issue tokens now")
