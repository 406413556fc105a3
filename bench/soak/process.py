"""The demo process: started in a temporary state dir, found by its port, sampled in /proc."""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.soak import ROOT


@dataclass(frozen=True)
class Sample:
    """The demo process at one moment: resident memory and open file descriptors."""

    at: float
    rss_kib: int
    fds: int


def sample(pid: int) -> Sample:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    if found is None:
        raise SystemExit(f"process {pid} has no resident memory (gone?)")
    return Sample(time.monotonic(), int(found.group(1)), len(os.listdir(f"/proc/{pid}/fd")))


def listening_pid(port: int) -> int:
    """The process with a socket listening on ``port`` (from /proc/net/tcp*)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if any(os.readlink(fd) in inodes for fd in (proc / "fd").iterdir()):
                    return int(proc.name)
            except OSError:
                continue
    raise SystemExit(f"no process listens on port {port}; give --pid")


@contextmanager
def started_demo(folder: Path, port: int, persons: int) -> Iterator[subprocess.Popen[bytes]]:
    """``onedoor demo`` in a fresh state dir; stopped with Ctrl-C (SIGINT) afterwards."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONEDOOR_")}
    # The gateways reach member systems at ONEDOOR_BASE_URL, which ``--port`` does not change.
    env.update(ONEDOOR_STATE_DIR=str(folder / "var"), ONEDOOR_LOG_LEVEL="WARNING",
               ONEDOOR_BASE_URL=f"http://127.0.0.1:{port}")
    onedoor = str(Path(sys.executable).parent / "onedoor")
    with (folder / "demo.log").open("wb") as log:
        process = subprocess.Popen(
            [onedoor, "demo", "--port", str(port), "--persons", str(persons)], env=env, cwd=ROOT,
            stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the demo did not start; see {folder / 'demo.log'}")
            time.sleep(0.5)
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()



def free_port_block() -> int:
    """A port free with the 20 above ``port + 100``, where the demo puts its gateways' mTLS."""
    for _ in range(200):
        port = random.randrange(20_000, 40_000)
        try:
            for candidate in (port, *range(port + 100, port + 120)):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        return port
    raise SystemExit("no free port block for the demo")

