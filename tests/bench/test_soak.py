"""bench/soak's parts that need no demo: wrk output, the Lua request table, the process."""

from __future__ import annotations

import os
import socket

from bench.soak import REFUSED, process, render, wrk

WRK_OUTPUT = """Running 1m test @ http://127.0.0.1:8000
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    40.12ms   20.01ms   1.02s    90.00%
  Latency Distribution
     50%   37.30ms
     75%   45.00ms
     90%   60.00ms
     99%    1.02s
  3186 requests in 1.00m, 5.12MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 530
Requests/sec:     53.10
Transfer/sec:     87.40KB
soak ok=2656 refused=524 unexpected=6 statuses=500:4,502:2
"""


def test_wrk_figures_and_the_scripts_counts_are_read() -> None:
    run = wrk.parse_wrk(WRK_OUTPUT)
    assert (run.requests, run.seconds) == (3186, 60.0)
    assert run.p50_ms == 37.3 and run.p99_ms == 1020.0
    assert run.socket_errors == 3
    assert (run.ok, run.refused, run.unexpected) == (2656, 524, 6)
    assert run.statuses == "500:4,502:2"


def test_output_without_the_scripts_line_counts_nothing_as_fine() -> None:
    run = wrk.parse_wrk("  10 requests in 2.00s, 1KB read\n")
    assert run.requests == 10 and run.ok == 0 and run.unexpected == 0


def test_request_bodies_of_any_bytes_become_lua_literals() -> None:
    request = wrk.Request("POST", "/pki/tsa", {"A": "b"}, b'\x00"\\\n\xff', weight=3)
    assert request.lua() == (
        '{"\\80\\79\\83\\84", "\\47\\112\\107\\105\\47\\116\\115\\97", '
        '{["\\65"] = "\\98"}, "\\0\\34\\92\\10\\255", 3}'
    )
    script = wrk.lua_script({"mixed": [request]})
    assert "local streams = {mixed = {" in script
    assert f'value == "{REFUSED}"' in script and '"soak ok=%d' in script


def test_person_ids_are_kept_out_of_the_report() -> None:
    assert render._redact("/gateways/X/r1/LA/GOV/MOHA/civil/person/011234567890") == (
        "/gateways/X/r1/LA/GOV/MOHA/civil/person/<person id>"
    )


def test_the_process_listening_on_a_port_is_found() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert process.listening_pid(server.getsockname()[1]) == os.getpid()
    sample = process.sample(os.getpid())
    assert sample.rss_kib > 0 and sample.fds > 0
