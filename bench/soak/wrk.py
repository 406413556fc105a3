"""The wrk side of the soak: a Lua script rotating through weighted requests and counting
answers (2xx-3xx, expected ConsentRefused, anything else), and the figures wrk prints."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.soak import REFUSED

LUA = r"""
local streams = {}
ok, refused, unexpected, statuses = 0, 0, 0, {}
function init(args)
  local list = {}
  for _, r in ipairs(streams[args[1]]) do
    for _ = 1, r[5] do table.insert(list, wrk.format(r[1], r[2], r[3], r[4])) end
  end
  requests, position = list, math.random(#list)
end
function request()
  position = position % #requests + 1
  return requests[position]
end
function response(status, headers, body)
  if status < 400 then ok = ok + 1; return end
  if status == 403 then
    for name, value in pairs(headers) do
      if string.lower(name) == "x-road-error" and value == "%(refused)s" then
        refused = refused + 1; return
      end
    end
  end
  unexpected = unexpected + 1
  statuses[tostring(status)] = (statuses[tostring(status)] or 0) + 1
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local o, r, u, s = 0, 0, 0, {}
  for _, t in ipairs(threads) do
    o, r, u = o + t:get("ok"), r + t:get("refused"), u + t:get("unexpected")
    for k, v in pairs(t:get("statuses")) do s[k] = (s[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(s) do table.insert(parts, k .. ":" .. v) end
  io.write(string.format("soak ok=%%d refused=%%d unexpected=%%d statuses=%%s\n",
    o, r, u, table.concat(parts, ",")))
end
"""


@dataclass(frozen=True)
class Request:
    """One request of a wrk stream; ``weight`` copies of it in the rotation."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    weight: int = 1

    def lua(self) -> str:
        headers = ", ".join(f"[{_lua(k.encode())}] = {_lua(v.encode())}"
                            for k, v in self.headers.items())
        body = "nil" if self.body is None else _lua(self.body)
        return (f"{{{_lua(self.method.encode())}, {_lua(self.path.encode())}, {{{headers}}}, "
                f"{body}, {self.weight}}}")


def _lua(data: bytes) -> str:
    """A Lua string literal of any bytes (decimal escapes, valid in Lua 5.1 / LuaJIT)."""
    return '"' + "".join(f"\\{byte}" for byte in data) + '"'


def lua_script(streams: dict[str, list[Request]]) -> str:
    tables = ", ".join(f"{name} = {{{', '.join(r.lua() for r in requests)}}}"
                       for name, requests in streams.items())
    body = LUA.replace("local streams = {}", f"local streams = {{{tables}}}")
    return body.replace("%(refused)s", REFUSED).replace("%%", "%")


@dataclass
class WrkRun:
    """One wrk stream's figures for one segment."""

    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    ok: int = 0
    refused: int = 0
    unexpected: int = 0
    socket_errors: int = 0
    statuses: str = ""


def parse_wrk(output: str) -> WrkRun:
    """The figures of ``wrk --latency`` output and of the script's ``done`` line."""
    run = WrkRun()
    if found := re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", output):
        run.requests = int(found.group(1))
        run.seconds = float(found.group(2)) * {"ms": 0.001, "s": 1.0, "m": 60.0}[found.group(3)]
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
    for percentile in ("50", "99"):
        if found := re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s|m)\b", output, re.M):
            setattr(run, f"p{percentile}_ms", float(found.group(1)) * scale[found.group(2)])
    if found := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                          output):
        run.socket_errors = sum(int(n) for n in found.groups())
    if found := re.search(r"soak ok=(\d+) refused=(\d+) unexpected=(\d+) statuses=(\S*)", output):
        run.ok, run.refused, run.unexpected = (int(found.group(i)) for i in (1, 2, 3))
        run.statuses = found.group(4)
    return run


def run_wrk(url: str, script: Path, stream: str, *, seconds: int, connections: int) -> WrkRun:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
               "-s", str(script), url, "--", stream]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or "soak ok=" not in result.stdout:
        raise SystemExit(f"wrk failed ({result.returncode}): {result.stderr or result.stdout}")
    return parse_wrk(result.stdout)

