"""``python -m bench.soak``: see bench/soak/__init__.py."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import bench.soak
from bench.soak import ROOT
from bench.soak.process import free_port_block, listening_pid, started_demo
from bench.soak.render import render
from bench.soak.state import DemoState
from bench.soak.traffic import soak, unexpected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(bench.soak.__doc__ or "").splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--start-demo", action="store_true",
                        help="run `onedoor demo` in a temporary state dir (on a free port)")
    parser.add_argument("--persons", type=int, default=500, help="persons seeded by --start-demo")
    parser.add_argument("--state-dir", type=Path, default=ROOT / "var",
                        help="the running demo's state dir (without --start-demo)")
    parser.add_argument("--pid", type=int, help="the demo's process (default: found by port)")
    parser.add_argument("--connections", type=int, default=8, help="in all, both streams")
    parser.add_argument("--cycle", type=float, default=20.0, help="s between consent cycles")
    parser.add_argument("--output", type=Path, help="write the report here (e.g. docs/SOAK.md)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    folder = Path(tempfile.mkdtemp(prefix="onedoor-soak-"))
    demo_exit = "not started by the soak"
    if args.start_demo:
        port = free_port_block()
        base, origin = f"http://127.0.0.1:{port}", f"`onedoor demo --persons {args.persons}`"
        with started_demo(folder, port, args.persons) as process:
            state = DemoState(folder / "var")
            soaked = soak(base, process.pid, state, minutes=args.minutes,
                          connections=args.connections, cycle_every=args.cycle, folder=folder)
            state.runtime.engine.dispose()
        log = (folder / "demo.log").read_text(errors="replace")
        errors = sum(" ERROR " in line or "ERROR:" in line for line in log.splitlines())
        demo_exit = (f"exit code {process.returncode} on Ctrl-C; its log has "
                     f"{log.count('Traceback')} tracebacks and {errors} ERROR lines")
    else:
        base, origin = args.url.rstrip("/"), "a running demo"
        pid = args.pid or listening_pid(urlsplit(base).port or 80)
        state = DemoState(args.state_dir)
        soaked = soak(base, pid, state, minutes=args.minutes, connections=args.connections,
                      cycle_every=args.cycle, folder=folder)
    text = render(soaked, base=base, origin=origin, minutes=args.minutes,
                  connections=args.connections, cycle_every=args.cycle, demo_exit=demo_exit)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    print(text)
    shutil.rmtree(folder, ignore_errors=True)
    failed = sum(unexpected(m) for m in soaked.rounds) + len(soaked.cycles.failures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
