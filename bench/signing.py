"""Benchmark: B-LT signing through the CSC API (authorize + signHash, TSA, OCSP) and validation.

Run: ``.venv/bin/python -m bench.signing [rounds]`` (starts pki + idp on a loopback port; needs
nothing from tests/). Goals: signing median < 150 ms, validation median < 100 ms. The signature
creation application keeps one HTTP session, one set of long-term sources (in-process TSA and
OCSP, as when it runs in the same deployment as the PKI; and over HTTP for comparison) and the
credential description from enrolment. Prints figures; never part of the test suite.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bench.signing_live import BenchCitizen, Deployment, deployment
from idp.signing.cades import sign_detached
from idp.signing.cades_validation import async_validate_cades
from idp.signing.csc_client import CscV2Signer, credential_info, open_signer
from idp.signing.ltv import LongTermSources, http_sources, local_sources
from idp.signing.pades import sign_pdf
from idp.signing.render import render_application, sample_application
from idp.signing.validation import Indication, async_validate_pdf

ROUNDS = 20
XML = b'<?xml version="1.0"?><application reference="APP-2026-000123"><benefit/></application>'


def figures(name: str, samples: list[float], goal: float) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"  {name:<34} median {statistics.median(samples):6.1f} ms   p95 {p95:6.1f} ms"
            f"   (goal < {goal:.0f} ms)")


async def timed(action: Awaitable[bytes]) -> tuple[bytes, float]:
    """Await ``action`` (a coroutine does nothing until awaited), timing it."""
    started = time.perf_counter()
    result = await action
    return result, (time.perf_counter() - started) * 1000


async def run(live: Deployment, sources: LongTermSources, rounds: int) -> dict[str, list[float]]:
    pdf = render_application(sample_application(datetime.now(UTC)))
    # A fresh TOTP step per signature, as a real user has: one citizen per round (not timed).
    citizens = [live.citizen() for _ in range(2 * rounds + 1)]
    times: dict[str, list[float]] = {"pades": [], "pades_check": [], "cades": [],
                                     "cades_check": []}
    async with aiohttp.ClientSession() as http:

        async def signer(citizen: BenchCitizen) -> CscV2Signer:
            return await open_signer(
                http, service_url=live.idp_url, access_token=citizen.token,
                credential_id=citizen.credential_id, otp=citizen.code,
                credential=credential_info(citizen.credential),
            )

        warm = await signer(citizens.pop())
        await sign_pdf(pdf, signer=warm, sources=sources)  # connections, TSA certificate
        for _ in range(rounds):
            pades = await signer(citizens.pop())
            signed, took = await timed(sign_pdf(pdf, signer=pades, sources=sources))
            times["pades"].append(took)
            cades = await signer(citizens.pop())
            p7s, took = await timed(sign_detached(XML, signer=cades, sources=sources))
            times["cades"].append(took)
            started = time.perf_counter()
            report = await async_validate_pdf(signed, trust_roots=[live.pki.root])
            times["pades_check"].append((time.perf_counter() - started) * 1000)
            assert report.indication is Indication.TOTAL_PASSED, report.text()
            started = time.perf_counter()
            report = await async_validate_cades(p7s, data=XML, trust_roots=[live.pki.root])
            times["cades_check"].append((time.perf_counter() - started) * 1000)
            assert report.indication is Indication.TOTAL_PASSED, report.text()
    return times


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS
    with tempfile.TemporaryDirectory() as folder, deployment(Path(folder)) as live:
        modes = {
            "in-process TSA / OCSP / CRL": local_sources(
                sessions=live.runtime.sessions, pki=live.pki),
            "TSA / OCSP / CRL over HTTP": http_sources(
                tsa_url=f"{live.base_url}/pki/tsa", trust_roots=[live.pki.root]),
        }
        for mode, sources in modes.items():
            try:
                times = asyncio.run(run(live, sources, rounds))
            finally:
                sources.close()
            print(f"{mode}, {rounds} rounds (CSC authorize + signHash over HTTP):")
            print(figures("PAdES B-LT sign", times["pades"], 150))
            print(figures("PAdES offline validation", times["pades_check"], 100))
            print(figures("CAdES B-LT detached sign", times["cades"], 150))
            print(figures("CAdES offline validation", times["cades_check"], 100))


if __name__ == "__main__":
    main()
