"""Run every benchmark in bench/ and write their figures, verbatim, to docs/BENCHMARKS.md.

A benchmark is any ``bench/*.py`` with a ``main`` function or a ``__main__`` guard, except this
report, the soak test and helpers (files with neither). Each runs as its own process, with its
own default (quick) arguments, under a time limit; one that fails or overruns is recorded in the
report with whatever it printed, and the others still run.

    .venv/bin/python -m bench.report [--timeout 900] [--only NAME ...] [--skip NAME ...]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
NOT_BENCHMARKS = frozenset({"report", "soak", "__init__"})
ENTRY_POINT = re.compile(r"^(def main\(|if __name__ == [\"']__main__[\"']:)", re.MULTILINE)
DEFAULT_TIMEOUT = 900.0  # seconds per benchmark
GRACE = 10.0  # seconds between SIGTERM and SIGKILL for a benchmark that overran


@dataclass(frozen=True)
class Benchmark:
    """One script to run: ``python -m <module> <arguments>`` from the repository root."""

    name: str
    module: str
    arguments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What one benchmark run printed, how long it took and how it ended."""

    benchmark: Benchmark
    command: str
    status: str  # "ok", "failed (exit N)" or "timed out after N s"
    seconds: float
    stdout: str
    stderr: str
    load: str = ""  # 1-minute load average when it started: other work skews the figures

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def discover(folder: Path, *, root: Path = ROOT) -> list[Benchmark]:
    """The benchmark scripts of ``folder`` (a folder under ``root``), by name."""
    package = ".".join(folder.resolve().relative_to(root.resolve()).parts)
    found = []
    for path in sorted(folder.glob("*.py")):
        if path.stem in NOT_BENCHMARKS or path.stem.startswith("_"):
            continue
        if ENTRY_POINT.search(path.read_text(encoding="utf-8", errors="replace")):
            found.append(Benchmark(name=path.stem, module=f"{package}.{path.stem}"))
    return found


def run_benchmark(
    benchmark: Benchmark, *, timeout: float, root: Path = ROOT, python: str = sys.executable
) -> Outcome:
    """Run one benchmark in its own process group; kill the whole group if it overruns."""
    command = [python, "-m", benchmark.module, *benchmark.arguments]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"  # so a benchmark killed on timeout still shows what it printed
    # Files, not pipes: a grandchild that outlives a kill cannot hold the report up.
    load = load_average()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            command, cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            start_new_session=True,
        )
        try:
            code = process.wait(timeout=timeout)
            status = "ok" if code == 0 else f"failed (exit {code})"
        except subprocess.TimeoutExpired:
            _stop_group(process)
            status = f"timed out after {timeout:g} s"
        seconds = time.monotonic() - started
        stdout, stderr = (_read(handle) for handle in (out, err))
    return Outcome(
        benchmark=benchmark, command=display_command(command, root=root), status=status,
        seconds=seconds, stdout=stdout, stderr=stderr, load=load,
    )


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, GRACE), (signal.SIGKILL, None)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _read(handle: IO[bytes]) -> str:
    handle.seek(0)
    return handle.read().decode("utf-8", errors="replace")


def display_command(command: Sequence[str], *, root: Path = ROOT) -> str:
    """The command line as a reader would type it at the repository root."""
    python = Path(command[0])
    if python.is_absolute() and python.is_relative_to(root):
        python = python.relative_to(root)
    return " ".join([str(python), *command[1:]])


def load_average() -> str:
    """The 1-minute load average from /proc/loadavg ("?" where there is none)."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except (OSError, IndexError):
        return "?"


def machine_facts() -> dict[str, str]:
    """Cores, CPU model, memory, OS and Python: what the figures are to be read against."""
    model = _first_value(Path("/proc/cpuinfo"), "model name") or platform.processor() or "?"
    memory = _first_value(Path("/proc/meminfo"), "MemTotal")
    if memory and memory.endswith(" kB"):
        memory = f"{int(memory[:-3]) / 1024 / 1024:.1f} GiB"
    release = _first_value(Path("/etc/os-release"), "PRETTY_NAME", separator="=")
    return {
        "cores (nproc)": str(len(os.sched_getaffinity(0))),
        "CPU": model,
        "memory": memory or "?",
        "OS": f"{(release or platform.system()).strip(chr(34))}, kernel {platform.release()}",
        "Python": platform.python_version(),
        "load average (1 min)": load_average(),
    }


def _first_value(path: Path, key: str, *, separator: str = ":") -> str | None:
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        name, found, value = line.partition(separator)
        if found and name.strip() == key:
            return value.strip()
    return None


def git_commit(root: Path = ROOT) -> str:
    """HEAD's hash, marked when the working tree has uncommitted changes (read-only git)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{head} (with uncommitted changes)" if dirty else head


def render(outcomes: Sequence[Outcome], *, facts: dict[str, str], date: datetime,
           commit: str) -> str:
    """docs/BENCHMARKS.md: the machine, then each benchmark's command, time and output."""
    lines = [
        "# Benchmarks", "",
        "Generated by `.venv/bin/python -m bench.report`; every figure below is the verbatim "
        "output of the script named. Goals and side-by-side comparisons are printed by the "
        "scripts themselves. The load average shows whether other work shared the machine.",
        "",
        f"- date: {date.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
        f"- commit: `{commit}`",
        *(f"- {name}: {value}" for name, value in facts.items()),
        "", "| benchmark | result | duration |", "|---|---|---|",
        *(f"| [{o.benchmark.name}](#{o.benchmark.name}) | {o.status} | {o.seconds:.0f} s |"
          for o in outcomes),
    ]
    for outcome in outcomes:
        lines += ["", f"## {outcome.benchmark.name}", "", "```", outcome.command, "```", "",
                  f"{outcome.status}, {outcome.seconds:.1f} s"
                  + (f"; load average {outcome.load} when it started." if outcome.load else "."),
                  "", *_block(outcome.stdout)]
        if outcome.stderr.strip() and not outcome.ok:
            lines += ["", "Standard error (last 40 lines):", "",
                      *_block("\n".join(outcome.stderr.rstrip().splitlines()[-40:]))]
    return "\n".join(lines) + "\n"


def _block(text: str) -> list[str]:
    fence = "````" if "```" in text else "```"
    return [fence, text.rstrip() or "(no output)", fence]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=ROOT / "bench")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "BENCHMARKS.md")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="s per script")
    parser.add_argument("--only", nargs="*", default=None, help="run only these benchmarks")
    parser.add_argument("--skip", nargs="*", default=(), help="leave these benchmarks out")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    benchmarks = [
        b for b in discover(args.folder, root=args.root)
        if (args.only is None or b.name in args.only) and b.name not in args.skip
    ]
    date, facts, outcomes = datetime.now(UTC), machine_facts(), []
    for benchmark in benchmarks:
        print(f"running {benchmark.name} ...", file=sys.stderr, flush=True)
        outcome = run_benchmark(benchmark, timeout=args.timeout, root=args.root)
        print(f"  {outcome.status}, {outcome.seconds:.0f} s", file=sys.stderr, flush=True)
        outcomes.append(outcome)
    text = render(outcomes, facts=facts, date=date, commit=git_commit(args.root))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    failed = [o.benchmark.name for o in outcomes if not o.ok]
    print(f"wrote {args.output}; {len(outcomes) - len(failed)} ok"
          + (f", not ok: {', '.join(failed)}" if failed else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
