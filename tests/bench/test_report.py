"""bench/report.py on a fake benchmark folder: discovery, failures and overruns recorded."""

from __future__ import annotations

import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench import report


@pytest.fixture
def fake_root(tmp_path: Path) -> Path:
    folder = tmp_path / "fakebench"
    folder.mkdir()
    scripts = {
        "fast.py": """
            import sys
            def main() -> None:
                print("widgets: 1234.5 /s  (goal >= 1000)")
                print("args:", sys.argv[1:])
            main()
        """,
        "broken.py": """
            if __name__ == "__main__":
                print("started")
                raise SystemExit("no database here")
        """,
        "stuck.py": """
            import time
            def main() -> None:
                print("warming up", flush=True)
                time.sleep(60)
            main()
        """,
        "helper.py": "VALUE = 1\n",
        "report.py": "def main() -> None:\n    pass\n",
        "soak.py": "if __name__ == '__main__':\n    pass\n",
    }
    for name, body in scripts.items():
        (folder / name).write_text(textwrap.dedent(body))
    return tmp_path


def test_discovery_finds_scripts_with_an_entry_point_only(fake_root: Path) -> None:
    found = report.discover(fake_root / "fakebench", root=fake_root)
    assert [b.name for b in found] == ["broken", "fast", "stuck"]
    assert found[1].module == "fakebench.fast"


def test_a_failure_and_an_overrun_are_recorded_and_the_rest_still_runs(fake_root: Path) -> None:
    output = fake_root / "docs" / "BENCHMARKS.md"
    code = report.main([
        "--root", str(fake_root), "--folder", str(fake_root / "fakebench"),
        "--output", str(output), "--timeout", "3",
    ])
    assert code == 0
    text = output.read_text()
    assert "| [fast](#fast) | ok |" in text
    assert "widgets: 1234.5 /s  (goal >= 1000)" in text
    assert "| [broken](#broken) | failed (exit 1) |" in text
    assert "no database here" in text  # its standard error, shown because it failed
    assert "| [stuck](#stuck) | timed out after 3 s |" in text
    assert "warming up" in text  # what it printed before it was stopped
    assert "helper" not in text and "soak" not in text
    assert "-m fakebench.fast" in text


def test_an_overrun_benchmark_is_stopped_with_its_children(fake_root: Path) -> None:
    (fake_root / "fakebench" / "spawner.py").write_text(textwrap.dedent("""
        import subprocess, sys, time
        if __name__ == "__main__":
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
            print("child", child.pid, flush=True)
            time.sleep(60)
    """))
    benchmark = report.Benchmark(name="spawner", module="fakebench.spawner")
    outcome = report.run_benchmark(benchmark, timeout=2, root=fake_root)
    assert outcome.status == "timed out after 2 s" and not outcome.ok
    child = int(outcome.stdout.split()[1])
    deadline = time.monotonic() + 10  # SIGKILL is delivered asynchronously
    while Path(f"/proc/{child}").exists() and not ({"Z", "gone"} & set(_state(child).split())):
        assert time.monotonic() < deadline, f"child {child} still alive: {_state(child)}"
        time.sleep(0.05)


def _state(pid: int) -> str:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:  # reaped between the check and the read
        return "State:\tgone"
    for line in status.splitlines():
        if line.startswith("State:"):
            return line
    return ""


def test_report_names_machine_date_commit_and_command() -> None:
    benchmark = report.Benchmark(name="fast", module="bench.fast", arguments=("--n", "10"))
    outcome = report.Outcome(
        benchmark=benchmark, command=report.display_command(
            [sys.executable, "-m", "bench.fast", "--n", "10"]),
        status="ok", seconds=1.25, stdout="rate 10 /s\n", stderr="",
    )
    facts = report.machine_facts()
    text = report.render(
        [outcome], facts=facts, date=datetime(2026, 3, 1, 9, 30, tzinfo=UTC), commit="abc123",
    )
    assert "- date: 2026-03-01 09:30 UTC" in text and "- commit: `abc123`" in text
    assert f"- cores (nproc): {facts['cores (nproc)']}" in text
    assert "- CPU: " in text and "- memory: " in text and "- Python: 3." in text
    assert "-m bench.fast --n 10" in text and "ok, 1.2 s." in text
    assert "```\nrate 10 /s\n```" in text


def test_output_containing_a_fence_cannot_break_out_of_its_block() -> None:
    outcome = report.Outcome(
        benchmark=report.Benchmark(name="x", module="bench.x"), command="python -m bench.x",
        status="ok", seconds=0.1, stdout="```\n# not a heading\n", stderr="",
    )
    text = report.render([outcome], facts={}, date=datetime.now(UTC), commit="c")
    assert "````\n```\n# not a heading\n````" in text
