"""Benchmark: PAdES B-LT signing through the CSC API (timestamp + OCSP) and offline validation.

Run: ``.venv/bin/python -m bench.signing`` (starts pki + idp on a loopback port). Goals: signing
median < 150 ms, validation median < 100 ms. Prints figures; never part of the test suite.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from idp.signing.pades import sign_pdf, timestamper_for
from idp.signing.render import render_application, sample_application
from idp.signing.validation import Indication, validate_pdf
from tests.idp.signing.conftest import start_live

ROUNDS = 12


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        lives = start_live(Path(folder))
        live = next(lives)
        pdf = render_application(sample_application(datetime.now(UTC)))
        sign_times: list[float] = []
        check_times: list[float] = []
        for _ in range(ROUNDS):
            citizen = live.citizen()  # a fresh TOTP step per signature, as a real user has
            started = time.perf_counter()
            signed = live.with_signer(citizen, lambda signer: sign_pdf(
                pdf, signer=signer, timestamper=timestamper_for(live.tsa_url),
                trust_roots=[live.root]))
            sign_times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            report = validate_pdf(signed, trust_roots=[live.root])
            check_times.append((time.perf_counter() - started) * 1000)
            assert report.indication is Indication.TOTAL_PASSED, report.text()
        lives.close()
    print(f"PAdES B-LT sign (CSC authorize + signHash, TSA, OCSP, DSS), {ROUNDS} rounds:")
    print(f"  median {statistics.median(sign_times):.1f} ms, max {max(sign_times):.1f} ms"
          " (goal < 150 ms)")
    print("offline validation (timestamp, chain, embedded OCSP/CRL):")
    print(f"  median {statistics.median(check_times):.1f} ms, max {max(check_times):.1f} ms"
          " (goal < 100 ms)")


if __name__ == "__main__":
    main()
