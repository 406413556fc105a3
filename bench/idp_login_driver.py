"""The login driver of ``bench/idp_client_credentials.py``: password + TOTP logins, many processes.

wrk cannot run this flow (five dependent requests, cookies, a form token and a TOTP code per
login), so Python processes drive it; each process runs one login after another, each with a
fresh cookie jar and an account never used before in the run (a TOTP code is accepted once).
The driver's own CPU time is measured so its ceiling can be printed beside the result.
"""

from __future__ import annotations

import base64
import hashlib
import multiprocessing
import re
import resource
import secrets
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pyotp

_FIELDS = re.compile(r'name="(ix|csrf)" value="([^"]*)"')


@dataclass(frozen=True)
class Outcome:
    logins: int
    failures: int
    cpu_seconds: float
    first_failure: str


def _fields(html: str) -> dict[str, str]:
    return dict(_FIELDS.findall(html))


def login_once(
    http: httpx.Client, issuer: str, *, client_id: str, redirect: str, login: str,
    password: str, code: str,
) -> str:
    """One browser login to the authorization code; returns the code."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    start = http.get(f"{issuer}/authorize", params={
        "response_type": "code", "client_id": client_id, "redirect_uri": redirect,
        "scope": "openid", "state": "s", "nonce": "n", "code_challenge_method": "S256",
        "code_challenge": challenge.rstrip(b"=").decode(), "acr_values": "substantial",
    })
    page = http.get(start.headers["location"])
    second = http.post(f"{issuer}/login", data={
        **_fields(page.text), "login": login, "password": password,
    })
    location = second.headers.get("location", "")
    if "/login/code" not in location:
        raise RuntimeError(f"password step answered {second.status_code}")
    page = http.get(location)
    done = http.post(f"{issuer}/login/code", data={**_fields(page.text), "code": code})
    final = done.headers.get("location", "")
    found = parse_qs(urlsplit(final).query).get("code")
    if not final.startswith(redirect) or not found:
        raise RuntimeError(f"code step answered {done.status_code}")
    return found[0]


def _worker(
    issuer: str, client_id: str, redirect: str, password: str,
    accounts: list[tuple[str, str]], start_at: float, stop_at: float,
    results: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:
    logins = failures = 0
    first_failure = ""
    while time.time() < start_at:
        time.sleep(0.005)
    before = resource.getrusage(resource.RUSAGE_SELF)
    with httpx.Client(timeout=60.0) as http:
        for login, secret in accounts:
            if time.time() >= stop_at:
                break
            http.cookies.clear()
            try:
                login_once(http, issuer, client_id=client_id, redirect=redirect, login=login,
                           password=password, code=pyotp.TOTP(secret).now())
                logins += 1
            except (RuntimeError, httpx.HTTPError, KeyError) as exc:
                failures += 1
                first_failure = first_failure or str(exc)
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    results.put(Outcome(logins, failures, cpu, first_failure))


def drive(
    issuer: str, *, client_id: str, redirect: str, password: str,
    accounts: list[tuple[str, str]], processes: int, duration: float,
) -> tuple[Outcome, float]:
    """Run ``processes`` drivers for ``duration`` seconds; returns totals and elapsed time."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.time() + 1.0
    stop_at = start_at + duration
    workers = [
        context.Process(target=_worker, args=(issuer, client_id, redirect, password,
                                               accounts[index::processes], start_at, stop_at,
                                               results))
        for index in range(processes)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=duration + 120) for _ in workers]
    elapsed = time.time() - start_at
    for worker in workers:
        worker.join()
    total = Outcome(
        sum(o.logins for o in outcomes), sum(o.failures for o in outcomes),
        sum(o.cpu_seconds for o in outcomes),
        next((o.first_failure for o in outcomes if o.first_failure), ""),
    )
    return total, elapsed
