"""The soak itself: the two request streams, a consent cycle beside them, minute by minute."""

from __future__ import annotations

import hashlib
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.soak import CLIENT, CONSUMER, PROVIDER, PURPOSE, REFUSED
from bench.soak.process import Sample, sample
from bench.soak.state import DemoState
from bench.soak.wrk import Request, WrkRun, lua_script, run_wrk


def gateway(subject: str, consent: str | None = None, weight: int = 1) -> Request:
    headers = {"X-Road-Client": CLIENT, "X-OneDoor-Purpose": PURPOSE,
               "X-OneDoor-Subject": subject}
    if consent is not None:
        headers["X-OneDoor-Consent"] = consent
    member = CONSUMER.replace("/", "-")
    return Request("GET", f"/gateways/{member}/r1/{PROVIDER}/civil/person/{subject}", headers,
                   weight=weight)


def traffic(state: DemoState, consent: str) -> dict[str, list[Request]]:
    from keys.tsa.client import build_query

    query = build_query(data_digest=hashlib.sha256(b"soak").digest(), hash_algorithm="sha256",
                        nonce=20_260_101)
    mixed = [
        Request("GET", "/health"), Request("GET", "/"), Request("GET", "/portal/"),
        Request("GET", "/idp/.well-known/openid-configuration"), Request("GET", "/idp/jwks"),
        Request("GET", "/pki/crl/services-ca.crl"), Request("GET", state.ocsp_path()),
        Request("POST", "/pki/tsa", {"Content-Type": "application/timestamp-query"}, query),
        gateway(state.subjects[1], weight=2),
    ]
    return {"mixed": mixed, "consented": [gateway(state.subjects[0], consent)]}


def preflight(base: str, streams: dict[str, list[Request]], *, times: int = 5) -> list[float]:
    """Each request ``times`` over, alone: it must answer as the soak counts on; the median
    milliseconds of each, in stream order, show what load adds."""
    medians = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for stream, requests in streams.items():
            for r in requests:
                samples = []
                for _ in range(times):
                    started = time.perf_counter()
                    answer = client.request(r.method, r.path, headers=r.headers, content=r.body)
                    samples.append((time.perf_counter() - started) * 1000)
                    refusal = answer.headers.get("X-Road-Error") == REFUSED
                    if not (answer.status_code < 400 or (stream == "mixed" and refusal)):
                        raise SystemExit(f"{r.method} {_path(r)}: {answer.status_code} "
                                         f"{answer.text[:300]}")
                medians.append(statistics.median(samples))
    return medians


def _path(request: Request) -> str:
    return request.path.rsplit("/", 1)[0] + "/..."


@dataclass
class Cycles:
    """The periodic give -> use -> withdraw -> refused check, run beside the traffic."""

    done: int = 0
    failures: list[str] = field(default_factory=list)

    def run(self, state: DemoState, base: str, stop: threading.Event, every: float) -> None:
        subject = state.subjects[2]
        with httpx.Client(base_url=base, timeout=30) as client:
            while not stop.wait(every):
                try:
                    consent = state.give(subject)
                    r = gateway(subject, consent)
                    used = client.get(r.path, headers=r.headers)
                    if used.status_code != 200:
                        self.failures.append(f"fresh consent answered {used.status_code} "
                                             f"{used.headers.get('X-Road-Error', '')}")
                    state.withdraw(subject, consent)
                    after = client.get(r.path, headers=r.headers)
                    if after.status_code != 403 or after.headers.get("X-Road-Error") != REFUSED:
                        self.failures.append(f"withdrawn consent answered {after.status_code}")
                    self.done += 1
                except Exception as exc:  # recorded: the soak reports it, then goes on
                    self.failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")


@dataclass
class Minute:
    mixed: WrkRun
    consented: WrkRun
    after: Sample


@dataclass
class Soaked:
    """Everything a soak measured."""

    streams: dict[str, list[Request]]
    start: Sample
    rounds: list[Minute]
    cycles: Cycles
    busy_retries: int
    alone_ms: list[float]  # per request of the streams, in order: median unloaded latency


def soak(base: str, pid: int, state: DemoState, *, minutes: float, connections: int,
         cycle_every: float, folder: Path) -> Soaked:
    consent = state.give(state.subjects[0])
    streams = traffic(state, consent)
    alone = preflight(base, streams)
    script = folder / "soak.lua"
    script.write_text(lua_script(streams))
    cycles, stop = Cycles(), threading.Event()
    cycler = threading.Thread(target=cycles.run, args=(state, base, stop, cycle_every))
    start, rounds, left = sample(pid), [], round(minutes * 60)
    cycler.start()
    try:
        while left > 0:
            seconds, left = min(60, left), left - min(60, left)
            with ThreadPoolExecutor(max_workers=len(streams)) as pool:
                futures = {s: pool.submit(run_wrk, base, script, s, seconds=seconds,
                                          connections=max(1, connections // 2))
                           for s in streams}
                results = {s: future.result() for s, future in futures.items()}
            rounds.append(Minute(results["mixed"], results["consented"], sample(pid)))
            print(f"minute {len(rounds)}: {rate(rounds[-1]):.0f} req/s, "
                  f"unexpected {unexpected(rounds[-1])}, "
                  f"RSS {rounds[-1].after.rss_kib / 1024:.0f} MiB", file=sys.stderr, flush=True)
    finally:
        stop.set()
        cycler.join()
    return Soaked(streams, start, rounds, cycles, state.busy_retries, alone)


def rate(minute: Minute) -> float:
    return sum(r.requests / r.seconds for r in (minute.mixed, minute.consented) if r.seconds)


def unexpected(minute: Minute) -> int:
    return sum(r.unexpected + r.socket_errors for r in (minute.mixed, minute.consented))
