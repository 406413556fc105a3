"""Soak test: mixed traffic against a running demo for N minutes; throughput, p99, errors, memory.

Two ``wrk`` streams run side by side, one minute at a time: a *mixed* one (health, start page,
portal, OIDC discovery and JWKS, CRL, OCSP GET, TSA POST, and gateway requests without consent,
whose 403 ``Server.ServerProxy.ConsentRefused`` is the expected answer, counted apart) and a
*consented* one (gateway round trips under a consent; anything but 2xx is an error). Meanwhile a
thread gives a consent, uses it, withdraws it and checks the gateway then refuses, every
``--cycle`` seconds. The demo's RSS and open files are read from /proc at the start, after every
minute and at the end. Goals: no unexpected error, flat memory.

    .venv/bin/python -m bench.soak --minutes 3 --start-demo [--output docs/SOAK.md]
    .venv/bin/python -m bench.soak --minutes 10 --url http://127.0.0.1:8000 --state-dir var

Against a demo already running, ``--state-dir`` must be its state dir (consents are written to
its database with its consent key); its process is found by the port it listens on.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CONSUMER, CLIENT, PROVIDER = "LA/GOV/MOLSW", "LA/GOV/MOLSW/welfare", "LA/GOV/MOHA"
PURPOSE = "child-allowance-eligibility"
DATA_ITEMS = ("civil.person.birth_date", "civil.person.name", "civil.person.sex")
REFUSED = "Server.ServerProxy.ConsentRefused"
